/**
 * How often one client address, or one device, may try a PIN: a few tries freely, then a wait
 * that doubles with every further wrong PIN, then a lock. Each attempt is counted the moment it
 * arrives, before its PIN is checked, so guesses sent all at once are counted one by one.
 */

export interface LimitRule {
  /** Wrong PINs allowed without waiting. */
  free: number
  /** The wait after the first wrong PIN beyond the free ones; it doubles with each further one. */
  baseDelayMs: number
  maxDelayMs: number
  /** After this many wrong PINs the key is locked for `lockMs`. */
  lockAfter: number
  lockMs: number
  /** Wrong PINs older than this (and no lock) are forgotten. */
  windowMs: number
}

/** One address may be a shared packing desk where several people sign in: more room. */
export const ADDRESS_RULE: LimitRule = { free: 10, baseDelayMs: 1000, maxDelayMs: 30_000, lockAfter: 30, lockMs: 15 * 60_000, windowMs: 15 * 60_000 }
export const DEVICE_RULE: LimitRule = { free: 5, baseDelayMs: 1000, maxDelayMs: 30_000, lockAfter: 15, lockMs: 15 * 60_000, windowMs: 15 * 60_000 }

interface Entry {
  failures: number
  last: number
  lockedUntil: number
}

export class AttemptLimiter {
  private readonly entries = new Map<string, Entry>()

  constructor(
    private readonly rule: LimitRule,
    private readonly clock: () => number = Date.now,
    private readonly maxEntries = 10_000,
  ) {}

  /**
   * Counts an attempt for `key`, or refuses it: 0 when the PIN may be checked now, else how long
   * to wait (ms). A refused attempt is not checked, so it is not counted again.
   */
  take(key: string): number {
    const now = this.clock()
    let entry = this.entries.get(key)
    if (entry && entry.lockedUntil <= now && now - entry.last > this.rule.windowMs) entry = undefined
    if (!entry) {
      entry = { failures: 0, last: now, lockedUntil: 0 }
      this.remember(key, entry)
    }
    if (entry.lockedUntil > now) return entry.lockedUntil - now
    if (entry.lockedUntil > 0) {
      // A lock that ran out starts the count afresh.
      entry.failures = 0
      entry.lockedUntil = 0
    }
    if (entry.failures >= this.rule.lockAfter) {
      entry.lockedUntil = now + this.rule.lockMs
      return this.rule.lockMs
    }
    if (entry.failures >= this.rule.free) {
      const wait = Math.min(this.rule.maxDelayMs, this.rule.baseDelayMs * 2 ** (entry.failures - this.rule.free))
      const since = now - entry.last
      if (since < wait) return wait - since
    }
    entry.failures++
    entry.last = now
    return 0
  }

  /** The PIN was right: the attempt counted by {@link take} was no guess. */
  succeeded(key: string, forget = false): void {
    const entry = this.entries.get(key)
    if (!entry) return
    if (forget) this.entries.delete(key)
    else entry.failures = Math.max(0, entry.failures - 1)
  }

  private remember(key: string, entry: Entry): void {
    this.entries.delete(key)
    this.entries.set(key, entry)
    // Bounded, oldest first: a flood of made-up keys cannot fill the memory.
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string
      this.entries.delete(oldest)
    }
  }
}

/** A client address as the limits key it: IPv4 seen through IPv6 is the IPv4 address. */
export function clientAddress(raw: string | undefined): string {
  return (raw ?? 'unknown').replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '')
}
