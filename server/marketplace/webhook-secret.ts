import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { StationDatabase } from '../store/database.ts'

const KEY = 'webhook_secret'

/**
 * The secret in the webhook address a lead copies into the MALL portal
 * (`/api/marketplace/webhook?secret=…`; MALL signs nothing, so the address itself is the proof).
 * Made at the first start and kept in the station's database in DATA_DIR.
 */
export function webhookSecret(db: StationDatabase): string {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(KEY) as { value: string } | undefined
  if (row) return row.value
  db.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)').run(KEY, randomBytes(24).toString('base64url'))
  return (db.prepare('SELECT value FROM meta WHERE key = ?').get(KEY) as { value: string }).value
}

/** Whether `given` is the secret, compared in constant time. */
export function isWebhookSecret(given: unknown, secret: string): boolean {
  if (typeof given !== 'string') return false
  const digest = (value: string) => createHash('sha256').update(value).digest()
  return timingSafeEqual(digest(given), digest(secret))
}

/** The webhook's path with its secret, after the station's origin. */
export const webhookPath = (secret: string) => `/api/marketplace/webhook?secret=${encodeURIComponent(secret)}`
