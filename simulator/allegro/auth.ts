import { randomBytes } from 'node:crypto'
import { OAuthError } from './errors.ts'
import type { AllegroState } from './state.ts'

/**
 * Allegro's OAuth server (`https://allegro.pl/auth/oauth/…`, sandbox
 * `https://allegro.pl.allegrosandbox.pl/auth/oauth/…`), mounted beside the API under the same
 * prefix: the device flow, refresh tokens that rotate with a 60-second grace for the old one,
 * bearer checks, and the "password changed" revocation the control API can cause.
 */

export const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code'

/** The scopes a token carries when none are asked for: the app's registered ones (#9970). */
export const SCOPES = [
  'allegro:api:orders:read',
  'allegro:api:orders:write',
  'allegro:api:shipments:read',
  'allegro:api:shipments:write',
  'allegro:api:sale:offers:read',
  'allegro:api:payments:write',
]

interface DeviceCode {
  deviceCode: string
  userCode: string
  expiresAt: number
  interval: number
  lastPollAt: number | null
  state: 'pending' | 'approved' | 'denied' | 'used'
  scope: string
}

/** One access/refresh pair; once its refresh token is used, both live on for the grace only. */
interface TokenPair {
  id: string
  access: string
  refresh: string
  scope: string
  accessExpiresAt: number
  refreshExpiresAt: number
  rotatedAt: number | null
  revoked: boolean
}

export interface TokenAnswer {
  access_token: string
  token_type: 'bearer'
  refresh_token: string
  expires_in: number
  scope: string
  allegro_api: true
  jti: string
}

export interface DeviceAnswer {
  device_code: string
  user_code: string
  verification_uri: string
  verification_uri_complete: string
  expires_in: number
  interval: number
}

export class Auth {
  private readonly devices = new Map<string, DeviceCode>()
  private readonly pairs = new Map<string, TokenPair>()
  private readonly byAccess = new Map<string, TokenPair>()
  private readonly byRefresh = new Map<string, TokenPair>()

  constructor(private readonly state: AllegroState) {
    for (const pair of state.store.load<TokenPair>('token').values()) this.index(pair)
  }

  /** HTTP Basic with the app's client id and secret, as every OAuth call needs. */
  checkClient(authorization: string | undefined): void {
    const match = /^Basic\s+(\S+)$/i.exec(authorization ?? '')
    if (!match) throw new OAuthError(401, 'unauthorized', 'Full authentication is required: send the client id and secret as HTTP Basic authorization.')
    const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8')
    const colon = decoded.indexOf(':')
    const [id, secret] = colon < 0 ? [decoded, ''] : [decoded.slice(0, colon), decoded.slice(colon + 1)]
    if (id !== this.state.options.clientId || secret !== this.state.options.clientSecret) {
      throw new OAuthError(401, 'invalid_client', 'Bad client credentials: check the client id and secret of the application.')
    }
  }

  /** `POST /auth/oauth/device`: a device code and the code the user types at the verification address. */
  startDevice(clientId: string | undefined, scope: string | undefined, verificationUri: string): DeviceAnswer {
    if (clientId !== undefined && clientId !== this.state.options.clientId) {
      throw new OAuthError(400, 'invalid_request', 'The client_id does not match the authorized client.')
    }
    const ttl = this.state.options.deviceCodeTtlSeconds
    const code: DeviceCode = {
      deviceCode: randomBytes(24).toString('base64url'),
      userCode: randomBytes(6).toString('hex').slice(0, 9),
      expiresAt: this.state.now() + ttl * 1000,
      interval: this.state.options.deviceInterval,
      lastPollAt: null,
      state: 'pending',
      scope: scope && scope.trim() !== '' ? scope.trim() : SCOPES.join(' '),
    }
    this.devices.set(code.deviceCode, code)
    return {
      device_code: code.deviceCode,
      user_code: code.userCode,
      verification_uri: verificationUri,
      verification_uri_complete: `${verificationUri}?code=${code.userCode}`,
      expires_in: ttl,
      interval: code.interval,
    }
  }

  /** The seller approves (or denies) a user code at the verification address, or the control API does. */
  decide(userCode: string | null, allow: boolean): number {
    let count = 0
    for (const code of this.devices.values()) {
      if (code.state !== 'pending' || code.expiresAt <= this.state.now()) continue
      if (userCode !== null && code.userCode !== userCode.trim().toLowerCase()) continue
      code.state = allow ? 'approved' : 'denied'
      count += 1
    }
    return count
  }

  /** `POST /auth/oauth/token` with the device grant, polled by the app. */
  pollDevice(deviceCode: string | undefined): TokenAnswer {
    const code = deviceCode ? this.devices.get(deviceCode) : undefined
    if (!code || code.state === 'used') throw new OAuthError(400, 'invalid_grant', 'Invalid device code.')
    const now = this.state.now()
    if (code.expiresAt <= now) throw new OAuthError(400, 'expired_token', 'The device code has expired: start the device flow again.')
    if (code.state === 'denied') throw new OAuthError(400, 'access_denied', 'The user denied the authorization request.')
    const early = code.lastPollAt !== null && now - code.lastPollAt < code.interval * 1000
    code.lastPollAt = now
    if (early) {
      // RFC 8628 §3.5: the client must add 5 seconds to its interval from now on.
      code.interval += 5
      throw new OAuthError(400, 'slow_down', `Polling too often: wait ${code.interval} seconds between requests.`)
    }
    if (code.state === 'pending') throw new OAuthError(400, 'authorization_pending', 'The user has not yet authorized the application.')
    code.state = 'used'
    return this.issue(code.scope)
  }

  /** `POST /auth/oauth/token` with `grant_type=refresh_token`: a new pair; the old one lives on for the grace. */
  refresh(refreshToken: string | undefined): TokenAnswer {
    const pair = refreshToken ? this.byRefresh.get(refreshToken) : undefined
    const now = this.state.now()
    if (!pair || pair.revoked || pair.refreshExpiresAt <= now || (pair.rotatedAt !== null && now >= pair.rotatedAt + this.grace())) {
      throw new OAuthError(400, 'invalid_grant', `Invalid refresh token: ${refreshToken ?? '(none)'}`)
    }
    if (pair.rotatedAt === null) {
      pair.rotatedAt = now
      this.state.store.save('token', pair.id, pair)
    }
    return this.issue(pair.scope)
  }

  /** The pair behind a bearer header, or the 401 Allegro answers. */
  authenticate(authorization: string | undefined): void {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')
    if (!match) throw new OAuthError(401, 'unauthorized', 'Full authentication is required to access this resource.')
    const pair = this.byAccess.get(match[1] as string)
    const now = this.state.now()
    if (!pair || pair.revoked) throw new OAuthError(401, 'invalid_token', 'Invalid access token.')
    if (pair.accessExpiresAt <= now) throw new OAuthError(401, 'invalid_token', 'Access token expired.')
    if (pair.rotatedAt !== null && now >= pair.rotatedAt + this.grace()) throw new OAuthError(401, 'invalid_token', 'Invalid access token.')
  }

  /** A pair made directly, as if the device flow had run (`POST /allegro/_sim/tokens`). */
  issue(scope = SCOPES.join(' ')): TokenAnswer {
    const now = this.state.now()
    const options = this.state.options
    const id = randomBytes(8).toString('hex')
    const pair: TokenPair = {
      id,
      access: jwtLike({ user_name: options.sellerId, scope: scope.split(' '), client_id: options.clientId, jti: id, exp: Math.floor(now / 1000) + options.accessTokenTtlSeconds }),
      refresh: jwtLike({ user_name: options.sellerId, scope: scope.split(' '), client_id: options.clientId, ati: id, exp: Math.floor(now / 1000) + options.refreshTokenTtlSeconds }),
      scope,
      accessExpiresAt: now + options.accessTokenTtlSeconds * 1000,
      refreshExpiresAt: now + options.refreshTokenTtlSeconds * 1000,
      rotatedAt: null,
      revoked: false,
    }
    this.index(pair)
    this.state.store.save('token', pair.id, pair)
    return { access_token: pair.access, token_type: 'bearer', refresh_token: pair.refresh, expires_in: options.accessTokenTtlSeconds, scope, allegro_api: true, jti: id }
  }

  /** Every token dies at once, as after a password change or "log out everywhere" (#11815). */
  revokeAll(): number {
    let count = 0
    for (const pair of this.pairs.values()) {
      if (pair.revoked) continue
      pair.revoked = true
      this.state.store.save('token', pair.id, pair)
      count += 1
    }
    return count
  }

  clear(): void {
    this.devices.clear()
    this.pairs.clear()
    this.byAccess.clear()
    this.byRefresh.clear()
  }

  private grace(): number {
    return this.state.options.refreshGraceSeconds * 1000
  }

  private index(pair: TokenPair): void {
    this.pairs.set(pair.id, pair)
    this.byAccess.set(pair.access, pair)
    this.byRefresh.set(pair.refresh, pair)
  }
}

/** Allegro's tokens are JWTs; the simulator's look like one but are checked by lookup only. */
function jwtLike(payload: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
  return `${part({ alg: 'RS256', typ: 'JWT' })}.${part(payload)}.${randomBytes(32).toString('base64url')}`
}
