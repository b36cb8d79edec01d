import type { AccountState, MarketplaceAccount } from '../marketplace.ts'
import { MarketplaceError } from '../marketplace.ts'
import type { AllegroStore, StoredTokens } from './store.ts'

/**
 * The seller's Allegro account, connected with OAuth's device flow (the station has no public
 * address for a redirect): a lead asks to connect, reads a code and opens Allegro's page on a
 * phone; meanwhile the station polls for the token at the pace Allegro sets (`interval`, and 5 s
 * more at each `slow_down`). Tokens stay in the station's database and never reach a browser.
 *
 * Each refresh returns a new pair and voids the old refresh token (60 s after its first use), so
 * two refreshes at once could lose the account: one refresh runs at a time and everyone waits for
 * it. Losing the token (`invalid_grant`: password changed, logged out everywhere) leaves the
 * account "connect again"; changes wait in the outbox meanwhile.
 */

export interface AllegroAccountOptions {
  store: AllegroStore
  /** `https://allegro.pl` (or the sandbox's, or the simulator's), without `/auth/oauth`. */
  oauthUrl: () => string
  clientId: string
  clientSecret: string
  timeoutMs: number
  fetch?: typeof fetch
  clock?: () => number
  warn?: (message: string) => void
  /** Waiting between polls of the device flow (tests shorten it). */
  sleep?: (ms: number) => Promise<void>
}

/** Refresh this long before the access token expires (Allegro's last 12 hours). */
const REFRESH_MARGIN_MS = 5 * 60_000

export interface TokenAnswer {
  access_token?: string
  refresh_token?: string
  expires_in?: number
  error?: string
  error_description?: string
}

export class AllegroAccount implements MarketplaceAccount {
  private refreshing: Promise<string> | null = null
  private connecting: { user_code: string; verification_uri: string; verification_uri_complete: string | null; expires_at: number } | null = null
  private problem: string | null = null
  private flow = 0
  private readonly clock: () => number
  private readonly fetchImpl: typeof fetch
  private readonly sleep: (ms: number) => Promise<void>

  constructor(private readonly options: AllegroAccountOptions) {
    this.clock = options.clock ?? Date.now
    this.fetchImpl = options.fetch ?? fetch
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms).unref()))
  }

  state(): AccountState {
    const connected = this.options.store.tokens() !== null
    if (this.connecting && this.connecting.expires_at > this.clock()) {
      return {
        status: 'connecting',
        user_code: this.connecting.user_code,
        verification_uri: this.connecting.verification_uri,
        verification_uri_complete: this.connecting.verification_uri_complete,
        expires_at: new Date(this.connecting.expires_at).toISOString(),
        message: 'Open the address, sign in to Allegro and enter the code to let the station work your orders.',
      }
    }
    if (connected) return { status: 'connected', message: 'The station works this Allegro account’s orders.' }
    if (this.options.store.get('lost') !== null) {
      return { status: 'connect_again', message: this.problem ?? 'Allegro ended the station’s access (a password change or “log out everywhere”): connect Allegro again. Changes wait until then.' }
    }
    return { status: 'not_connected', message: this.problem ?? 'Connect Allegro so the station can read and work its orders.' }
  }

  /** Takes tokens got otherwise (the demo's simulated account, connected from the start). */
  useTokens(answer: TokenAnswer): void {
    if (!answer.access_token || !answer.refresh_token) throw new Error('useTokens needs an access and a refresh token')
    this.keep(answer)
    this.options.store.set('lost', null)
  }

  /** Starts the device flow; the state says the code and the address. */
  async connect(): Promise<AccountState> {
    const answer = await this.post('/auth/oauth/device', new URLSearchParams({ client_id: this.options.clientId }))
    const body = answer.body as { device_code?: string; user_code?: string; verification_uri?: string; verification_uri_complete?: string; expires_in?: number; interval?: number }
    if (!answer.ok || !body.device_code || !body.user_code || !body.verification_uri) {
      throw new MarketplaceError('refused', `Allegro did not start the connection (${answer.status}): check ALLEGRO_CLIENT_ID and ALLEGRO_CLIENT_SECRET, and that the app is a device-flow app.`, answer.status)
    }
    const flow = ++this.flow
    this.problem = null
    this.connecting = {
      user_code: body.user_code,
      verification_uri: body.verification_uri,
      verification_uri_complete: body.verification_uri_complete ?? null,
      expires_at: this.clock() + (body.expires_in ?? 3600) * 1000,
    }
    void this.pollDevice(flow, body.device_code, (body.interval ?? 5) * 1000)
    return this.state()
  }

  /** Stops a device flow under way (the station closes). */
  stop(): void {
    this.flow++
    this.connecting = null
  }

  private async pollDevice(flow: number, deviceCode: string, intervalMs: number): Promise<void> {
    let interval = intervalMs
    while (flow === this.flow && this.connecting && this.connecting.expires_at > this.clock()) {
      await this.sleep(interval)
      if (flow !== this.flow) return
      let answer: { ok: boolean; status: number; body: TokenAnswer }
      try {
        answer = await this.post('/auth/oauth/token', new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: deviceCode }))
      } catch {
        continue // Allegro unreachable for a moment: ask again at the next interval.
      }
      if (answer.ok && answer.body.access_token && answer.body.refresh_token) {
        this.keep(answer.body)
        this.connecting = null
        this.options.store.set('lost', null)
        return
      }
      const error = answer.body.error
      if (error === 'authorization_pending') continue
      if (error === 'slow_down') {
        interval += 5000
        continue
      }
      this.connecting = null
      this.problem =
        error === 'access_denied'
          ? 'The connection was refused on Allegro’s page: press Connect Allegro to try again.'
          : `Allegro ended the connection (${error ?? answer.status}): press Connect Allegro to try again.`
      return
    }
    if (flow === this.flow && this.connecting) {
      this.connecting = null
      this.problem = 'The code expired before it was entered: press Connect Allegro for a new one.'
    }
  }

  /** A valid access token, refreshed first when it is about to expire. */
  async accessToken(): Promise<string> {
    if (this.refreshing) return this.refreshing
    const tokens = this.options.store.tokens()
    if (!tokens) throw this.notConnected()
    if (tokens.expires_at - REFRESH_MARGIN_MS > this.clock()) return tokens.access_token
    return this.refresh()
  }

  /** Allegro refused `used` (401): refresh once, whoever else noticed too. */
  async tokenRefused(used: string): Promise<string> {
    if (this.refreshing) return this.refreshing
    const tokens = this.options.store.tokens()
    if (!tokens) throw this.notConnected()
    if (tokens.access_token !== used) return tokens.access_token
    return this.refresh()
  }

  private refresh(): Promise<string> {
    this.refreshing ??= this.refreshOnce().finally(() => {
      this.refreshing = null
    })
    return this.refreshing
  }

  private async refreshOnce(): Promise<string> {
    const tokens = this.options.store.tokens()
    if (!tokens) throw this.notConnected()
    const answer = await this.post('/auth/oauth/token', new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token }))
    if (answer.ok && answer.body.access_token && answer.body.refresh_token) return this.keep(answer.body).access_token
    if (answer.status >= 500 || answer.status === 429) {
      throw new MarketplaceError(answer.status === 429 ? 'rate_limited' : 'unavailable', `Allegro could not renew the station’s access now (${answer.status}).`, answer.status, null, answer.status === 429 ? 60_000 : null)
    }
    // invalid_grant: the refresh token is void (password changed, logged out everywhere).
    this.options.store.saveTokens(null)
    this.options.store.set('lost', new Date(this.clock()).toISOString())
    this.problem = null
    this.options.warn?.(`Allegro refused to renew the station’s access (${answer.body.error ?? answer.status}): a lead must connect Allegro again in Settings`)
    throw this.notConnected()
  }

  private keep(body: TokenAnswer): StoredTokens {
    // Written before anyone uses it: a restart right after a refresh must not reuse the old pair.
    const tokens: StoredTokens = {
      access_token: body.access_token as string,
      refresh_token: body.refresh_token as string,
      expires_at: this.clock() + (body.expires_in ?? 43_199) * 1000,
    }
    this.options.store.saveTokens(tokens)
    return tokens
  }

  private notConnected(): MarketplaceError {
    const state = this.state()
    return new MarketplaceError('unauthorized', state.status === 'connect_again' ? 'Allegro ended the station’s access: a lead must connect Allegro again in Settings.' : 'Allegro is not connected: a lead connects it in Settings.', 401, 'ACCOUNT_NOT_CONNECTED')
  }

  private async post(path: string, form: URLSearchParams): Promise<{ ok: boolean; status: number; body: TokenAnswer }> {
    const basic = Buffer.from(`${this.options.clientId}:${this.options.clientSecret}`).toString('base64')
    let response: Response
    try {
      response = await this.fetchImpl(`${this.options.oauthUrl()}${path}`, {
        method: 'POST',
        headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form.toString(),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      })
    } catch (error) {
      throw new MarketplaceError('unavailable', `Allegro’s sign-in service cannot be reached (${(error as Error).message}).`)
    }
    const text = await response.text().catch(() => '')
    let body: TokenAnswer = {}
    try {
      body = text ? (JSON.parse(text) as TokenAnswer) : {}
    } catch {
      body = {}
    }
    return { ok: response.ok, status: response.status, body }
  }
}
