import { createHash, randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto'
import { promisify } from 'node:util'
import type { StationDatabase } from './database.ts'

const scrypt = promisify(scryptCallback) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>

/**
 * Users sign in with a name and a PIN; the PIN is kept only as a salted scrypt hash. A session
 * token is random, kept only as its SHA-256, and lasts a long offline shift: it expires
 * {@link SESSION_DAYS} days after it was last used.
 */

export const SESSION_DAYS = 30
const DAY_MS = 24 * 60 * 60 * 1000
const MAX_FAILED_ATTEMPTS = 5
const LOCK_MS = 60_000

export type Role = 'picker' | 'lead'

export interface User {
  id: number
  name: string
  display_name: string
  role: Role
}

export interface Session {
  user: User
  device_id: string | null
  expires_at: string
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

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex')

export type SignInResult =
  | { ok: true; token: string; session: Session }
  | { ok: false; reason: 'wrong' | 'locked'; retryAfterMs?: number }

export class UserStore {
  constructor(
    private readonly db: StationDatabase,
    private readonly clock: () => number = Date.now,
  ) {}

  async addUser(name: string, displayName: string, role: Role, pin: string): Promise<void> {
    const pinHash = await hashPin(pin)
    this.db
      .prepare('INSERT INTO users (name, display_name, role, pin_hash) VALUES (?, ?, ?, ?) ON CONFLICT(name) DO NOTHING')
      .run(name, displayName, role, pinHash)
  }

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM users').get() as { n: number }).n
  }

  async signIn(name: string, pin: string, deviceId: string | null): Promise<SignInResult> {
    const row = this.db.prepare('SELECT * FROM users WHERE name = ?').get(name.trim().toLowerCase()) as
      | (User & { pin_hash: string; failed_attempts: number; locked_until: string | null })
      | undefined
    const now = this.clock()
    if (row?.locked_until && Date.parse(row.locked_until) > now) {
      return { ok: false, reason: 'locked', retryAfterMs: Date.parse(row.locked_until) - now }
    }
    // Hash even for an unknown name, so the answer's timing does not tell which names exist.
    const matches = await pinMatches(pin, row?.pin_hash ?? 'scrypt$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=')
    if (!row || !matches) {
      if (row) {
        const failures = row.failed_attempts + 1
        const lock = failures >= MAX_FAILED_ATTEMPTS ? new Date(now + LOCK_MS).toISOString() : null
        this.db.prepare('UPDATE users SET failed_attempts = ?, locked_until = ? WHERE id = ?').run(lock ? 0 : failures, lock, row.id)
      }
      return { ok: false, reason: 'wrong' }
    }
    this.db.prepare('UPDATE users SET failed_attempts = 0, locked_until = NULL WHERE id = ?').run(row.id)
    const token = randomBytes(32).toString('base64url')
    const expires = new Date(now + SESSION_DAYS * DAY_MS).toISOString()
    this.db
      .prepare('INSERT INTO sessions (token_hash, user_id, device_id, created_at, last_used_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(tokenHash(token), row.id, deviceId, new Date(now).toISOString(), new Date(now).toISOString(), expires)
    return {
      ok: true,
      token,
      session: { user: { id: row.id, name: row.name, display_name: row.display_name, role: row.role }, device_id: deviceId, expires_at: expires },
    }
  }

  /** The session of a bearer token, extended on use; null when unknown or expired. */
  authenticate(token: string): Session | null {
    const hash = tokenHash(token)
    const row = this.db
      .prepare(
        `SELECT s.device_id, s.expires_at, s.last_used_at, u.id, u.name, u.display_name, u.role
         FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?`,
      )
      .get(hash) as (User & { device_id: string | null; expires_at: string; last_used_at: string }) | undefined
    const now = this.clock()
    if (!row || Date.parse(row.expires_at) <= now) return null
    let expiresAt = row.expires_at
    // Sliding expiry, written at most once a minute to keep reads cheap.
    if (now - Date.parse(row.last_used_at) > 60_000) {
      expiresAt = new Date(now + SESSION_DAYS * DAY_MS).toISOString()
      this.db.prepare('UPDATE sessions SET last_used_at = ?, expires_at = ? WHERE token_hash = ?').run(new Date(now).toISOString(), expiresAt, hash)
    }
    return { user: { id: row.id, name: row.name, display_name: row.display_name, role: row.role }, device_id: row.device_id, expires_at: expiresAt }
  }

  signOut(token: string): void {
    this.db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(tokenHash(token))
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
