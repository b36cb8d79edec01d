import { createHash, randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto'
import { promisify } from 'node:util'
import type { StationDatabase } from './database.ts'
import { ADDRESS_RULE, AttemptLimiter, DEVICE_RULE } from './sign-in-limits.ts'

const scrypt = promisify(scryptCallback) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>

/**
 * Users sign in with a name and a PIN; the PIN is kept only as a salted scrypt hash. A session
 * token is random, kept only as its SHA-256, and lasts a long offline shift: it expires
 * {@link SESSION_DAYS} days after it was last used.
 */

export const SESSION_DAYS = 30
const DAY_MS = 24 * 60 * 60 * 1000
/** Wrong PINs in a row a user name takes before it is locked (for devices it never signed in on). */
export const MAX_FAILED_ATTEMPTS = 5
export const LOCK_MS = 60_000

/** A PIN is 4 to 8 digits; a lead may ask for more than 4 (the `pin_min_length` setting). */
export const MIN_PIN_LENGTH = 4
export const MAX_PIN_LENGTH = 8

/** What is wrong with a new PIN, as a sentence; null when it will do. */
export function checkPin(pin: string, minLength = MIN_PIN_LENGTH): string | null {
  const min = Math.min(MAX_PIN_LENGTH, Math.max(MIN_PIN_LENGTH, minLength))
  if (!/^\d+$/.test(pin) || pin.length < min || pin.length > MAX_PIN_LENGTH) {
    return min === MAX_PIN_LENGTH ? `The PIN must be ${MAX_PIN_LENGTH} digits.` : `The PIN must be ${min} to ${MAX_PIN_LENGTH} digits.`
  }
  return null
}

export type Role = 'picker' | 'lead'

export interface User {
  id: number
  name: string
  display_name: string
  role: Role
}

export interface Session {
  /** Names the session to a lead, who may revoke it; not the token. */
  id: string
  user: User
  device_id: string | null
  expires_at: string
}

/** A signed-in device as a lead sees it (`GET /api/sessions`). */
export interface SessionInfo {
  id: string
  user: { name: string; display_name: string; role: Role }
  device_id: string | null
  created_at: string
  last_used_at: string
  expires_at: string
  client_address: string | null
}

export async function hashPin(pin: string): Promise<string> {
  const salt = randomBytes(16)
  const hash = await scrypt(pin, salt, 32)
  return `scrypt$${salt.toString('base64')}$${hash.toString('base64')}`
}

async function pinMatches(pin: string, stored: string): Promise<boolean> {
  const [scheme, salt, hash] = stored.split('$')
  if (scheme !== 'scrypt' || !salt || !hash) return false
  const expected = Buffer.from(hash, 'base64')
  const actual = await scrypt(pin, Buffer.from(salt, 'base64'), expected.length)
  return timingSafeEqual(actual, expected)
}

/** Checked for a name nobody has, so its answer takes as long as a real user's wrong PIN. */
const DUMMY_HASH = 'scrypt$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex')

export type SignInResult =
  | { ok: true; token: string; session: Session }
  | { ok: false; reason: 'wrong' | 'locked'; retryAfterMs?: number }

export interface SignInFrom {
  /** The id the tablet sends at sign-in. */
  deviceId: string | null
  /** The client's address, as the connection shows it. */
  address: string
}

type UserRow = User & { pin_hash: string; failed_attempts: number; locked_until: string | null }

export class UserStore {
  private readonly byAddress: AttemptLimiter
  private readonly byDevice: AttemptLimiter
  /** Wrong PINs for names nobody has, counted as a user's are: the answers must not differ. */
  private readonly unknownNames = new Map<string, { failed: number; lockedUntil: number }>()

  constructor(
    private readonly db: StationDatabase,
    private readonly clock: () => number = Date.now,
  ) {
    this.byAddress = new AttemptLimiter(ADDRESS_RULE, clock)
    this.byDevice = new AttemptLimiter(DEVICE_RULE, clock)
  }

  /** Adds a person (a name already taken is left as it is). Throws when the PIN is not 4 to 8 digits. */
  async addUser(name: string, displayName: string, role: Role, pin: string, minPinLength = MIN_PIN_LENGTH): Promise<void> {
    const wrong = checkPin(pin, minPinLength)
    if (wrong) throw new Error(wrong)
    const pinHash = await hashPin(pin)
    this.db
      .prepare('INSERT INTO users (name, display_name, role, pin_hash) VALUES (?, ?, ?, ?) ON CONFLICT(name) DO NOTHING')
      .run(name, displayName, role, pinHash)
  }

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM users').get() as { n: number }).n
  }

  /**
   * Checks a PIN. Every attempt is counted before the PIN is compared: per client address and per
   * device (a growing wait, then a lock) and per user name (a lock after
   * {@link MAX_FAILED_ATTEMPTS}). A user's lock does not apply on a device they signed in on
   * before, so guesses from elsewhere cannot keep them out. A name nobody has is answered exactly
   * as a real one.
   */
  async signIn(name: string, pin: string, from: SignInFrom): Promise<SignInResult> {
    const userName = name.trim().toLowerCase()
    const now = this.clock()
    const row = this.db.prepare('SELECT * FROM users WHERE name = ?').get(userName) as UserRow | undefined
    const ownDevice = row !== undefined && from.deviceId !== null && this.knownDevice(row.id, from.deviceId)
    // The person's own tablet is limited by its own count only: an attacker sharing the address
    // (a guest Wi-Fi behind one router) must not keep it out.
    const waits = [ownDevice ? 0 : this.byAddress.take(`address:${from.address}`), from.deviceId === null ? 0 : this.byDevice.take(`device:${from.deviceId}`)]
    const wait = Math.max(...waits)
    if (wait > 0) return { ok: false, reason: 'locked', retryAfterMs: wait }

    const lock = row ? this.countUserAttempt(row.id, now) : this.countUnknownAttempt(userName, now)
    if (lock > 0 && !ownDevice) return { ok: false, reason: 'locked', retryAfterMs: lock }

    // Hash even for an unknown name, so the answer's timing does not tell which names exist.
    const matches = await pinMatches(pin, row?.pin_hash ?? DUMMY_HASH)
    if (!row || !matches) return { ok: false, reason: 'wrong' }

    // Right: the counts taken before the check were no guesses. A lock others caused stays.
    this.db
      .prepare('UPDATE users SET failed_attempts = 0, locked_until = NULL WHERE id = ? AND (locked_until IS NULL OR locked_until <= ?)')
      .run(row.id, new Date(now).toISOString())
    if (!ownDevice) this.byAddress.succeeded(`address:${from.address}`)
    if (from.deviceId !== null) this.byDevice.succeeded(`device:${from.deviceId}`, true)

    const token = randomBytes(32).toString('base64url')
    const id = randomBytes(12).toString('base64url')
    const at = new Date(now).toISOString()
    const expires = new Date(now + SESSION_DAYS * DAY_MS).toISOString()
    this.db.transaction(() => {
      this.db
        .prepare('INSERT INTO sessions (token_hash, id, user_id, device_id, created_at, last_used_at, expires_at, client_address) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(tokenHash(token), id, row.id, from.deviceId, at, at, expires, from.address)
      if (from.deviceId !== null) {
        this.db
          .prepare(
            `INSERT INTO user_devices (user_id, device_id, first_signed_in_at, last_signed_in_at) VALUES (?, ?, ?, ?)
             ON CONFLICT (user_id, device_id) DO UPDATE SET last_signed_in_at = excluded.last_signed_in_at`,
          )
          .run(row.id, from.deviceId, at, at)
      }
    })()
    return {
      ok: true,
      token,
      session: { id, user: { id: row.id, name: row.name, display_name: row.display_name, role: row.role }, device_id: from.deviceId, expires_at: expires },
    }
  }

  private knownDevice(userId: number, deviceId: string): boolean {
    return this.db.prepare('SELECT 1 FROM user_devices WHERE user_id = ? AND device_id = ?').get(userId, deviceId) !== undefined
  }

  /**
   * Counts one attempt on a user in one statement (attempts at the same moment each add one);
   * the time the name stays locked, or 0 when its PIN may be checked.
   */
  private countUserAttempt(userId: number, now: number): number {
    const at = new Date(now).toISOString()
    const counted = this.db
      .prepare(
        `UPDATE users SET
           failed_attempts = CASE WHEN locked_until IS NOT NULL AND locked_until <= @at THEN 1 ELSE failed_attempts + 1 END,
           locked_until = CASE WHEN locked_until IS NOT NULL AND locked_until <= @at THEN NULL ELSE locked_until END
         WHERE id = @id RETURNING failed_attempts, locked_until`,
      )
      .get({ at, id: userId }) as { failed_attempts: number; locked_until: string | null }
    if (counted.failed_attempts <= MAX_FAILED_ATTEMPTS) return 0
    if (counted.locked_until) return Date.parse(counted.locked_until) - now
    this.db.prepare('UPDATE users SET locked_until = ? WHERE id = ? AND locked_until IS NULL').run(new Date(now + LOCK_MS).toISOString(), userId)
    return LOCK_MS
  }

  private countUnknownAttempt(name: string, now: number): number {
    let entry = this.unknownNames.get(name)
    if (entry && entry.lockedUntil > 0 && entry.lockedUntil <= now) entry = undefined
    if (!entry) {
      entry = { failed: 0, lockedUntil: 0 }
      this.unknownNames.delete(name)
      this.unknownNames.set(name, entry)
      while (this.unknownNames.size > 10_000) this.unknownNames.delete(this.unknownNames.keys().next().value as string)
    }
    entry.failed++
    if (entry.failed <= MAX_FAILED_ATTEMPTS) return 0
    if (entry.lockedUntil === 0) entry.lockedUntil = now + LOCK_MS
    return entry.lockedUntil - now
  }

  /** The session of a bearer token, extended on use; null when unknown, expired or revoked. */
  authenticate(token: string, address?: string): Session | null {
    const hash = tokenHash(token)
    const row = this.db
      .prepare(
        `SELECT s.id AS session_id, s.device_id, s.expires_at, s.last_used_at, u.id, u.name, u.display_name, u.role
         FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?`,
      )
      .get(hash) as (User & { session_id: string; device_id: string | null; expires_at: string; last_used_at: string }) | undefined
    const now = this.clock()
    if (!row || Date.parse(row.expires_at) <= now) return null
    let expiresAt = row.expires_at
    // Sliding expiry, written at most once a minute to keep reads cheap.
    if (now - Date.parse(row.last_used_at) > 60_000) {
      expiresAt = new Date(now + SESSION_DAYS * DAY_MS).toISOString()
      this.db
        .prepare('UPDATE sessions SET last_used_at = ?, expires_at = ?, client_address = COALESCE(?, client_address) WHERE token_hash = ?')
        .run(new Date(now).toISOString(), expiresAt, address ?? null, hash)
    }
    return {
      id: row.session_id,
      user: { id: row.id, name: row.name, display_name: row.display_name, role: row.role },
      device_id: row.device_id,
      expires_at: expiresAt,
    }
  }

  signOut(token: string): void {
    this.db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(tokenHash(token))
  }

  /** The sessions that have not expired, most recently used first. */
  sessions(): SessionInfo[] {
    const rows = this.db
      .prepare(
        `SELECT s.id, s.device_id, s.created_at, s.last_used_at, s.expires_at, s.client_address, u.name, u.display_name, u.role
         FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.expires_at > ? ORDER BY s.last_used_at DESC, s.created_at DESC`,
      )
      .all(new Date(this.clock()).toISOString()) as (Omit<SessionInfo, 'user'> & { name: string; display_name: string; role: Role })[]
    return rows.map(({ name, display_name, role, ...row }) => ({ ...row, user: { name, display_name, role } }))
  }

  /** Ends one session by its id; false when there is none. */
  revokeSession(id: string): boolean {
    return this.db.prepare('DELETE FROM sessions WHERE id = ?').run(id).changes > 0
  }

  /**
   * Ends every session of a device and forgets it as anyone's own device (its next sign-in is
   * limited like any other's); the number of sessions ended, or null when the device is unknown.
   */
  revokeDevice(deviceId: string): number | null {
    return this.db.transaction(() => {
      const ended = this.db.prepare('DELETE FROM sessions WHERE device_id = ?').run(deviceId).changes
      const known = this.db.prepare('DELETE FROM user_devices WHERE device_id = ?').run(deviceId).changes
      return ended === 0 && known === 0 ? null : ended
    })()
  }
}

/** Answers kept per idempotency key, so a retried request gets the first answer again. */
export class IdempotencyStore {
  constructor(
    private readonly db: StationDatabase,
    private readonly clock: () => number = Date.now,
  ) {}

  static hashRequest(parts: unknown): string {
    return createHash('sha256').update(JSON.stringify(parts)).digest('hex')
  }

  /** The first answer given for a key, exactly as it was sent. */
  find(key: string): { request_hash: string; status: number; response_json: string } | null {
    const row = this.db.prepare('SELECT request_hash, status, response FROM idempotency_keys WHERE key = ?').get(key) as
      | { request_hash: string; status: number; response: string }
      | undefined
    return row ? { request_hash: row.request_hash, status: row.status, response_json: row.response } : null
  }

  save(userId: number, key: string, requestHash: string, status: number, responseJson: string): void {
    this.db
      .prepare('INSERT INTO idempotency_keys (key, user_id, request_hash, status, response, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(key, userId, requestHash, status, responseJson, new Date(this.clock()).toISOString())
  }
}
