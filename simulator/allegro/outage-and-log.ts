import { AllegroApiError, invalid } from './errors.ts'
import { isoTime } from './seed.ts'
import type { AllegroState } from './state.ts'
import type { LogEntry } from './store.ts'

export type OutageMode = 'off' | '500' | '503' | 'hang'
export const OUTAGE_MODES: readonly OutageMode[] = ['off', '500', '503', 'hang']

/**
 * The outage a test or demo switches on (`/allegro/_sim/outage`), Allegro's rate limit (9000
 * requests a minute per client id, then 429 and a one-minute block), and the log of writes.
 */
export class OutageAndLog {
  private outage: OutageMode = 'off'
  private readonly outageListeners = new Set<(mode: OutageMode) => void>()
  private windowStart = 0
  private windowCount = 0
  private blockedUntil = 0

  constructor(private readonly state: AllegroState) {}

  get outageMode(): OutageMode {
    return this.outage
  }

  setOutage(mode: string): OutageMode {
    if (!(OUTAGE_MODES as readonly string[]).includes(mode)) {
      throw invalid('mode', `Outage mode must be one of ${OUTAGE_MODES.join(', ')}, not “${mode}”; for 429 use POST /allegro/_sim/rate-limit/block.`, 400)
    }
    this.outage = mode as OutageMode
    for (const listener of this.outageListeners) listener(this.outage)
    return this.outage
  }

  onOutageChange(listener: (mode: OutageMode) => void): () => void {
    this.outageListeners.add(listener)
    return () => this.outageListeners.delete(listener)
  }

  /** Counts a request against the per-minute limit; throws the 429 while blocked. */
  countRequest(): void {
    const now = this.state.now()
    if (now < this.blockedUntil) throw this.tooMany()
    if (now - this.windowStart >= 60_000) {
      this.windowStart = now
      this.windowCount = 0
    }
    this.windowCount += 1
    if (this.windowCount > this.state.options.rateLimitPerMinute) {
      this.block(this.state.options.rateLimitBlockSeconds)
      throw this.tooMany()
    }
  }

  /** Blocks every request for `seconds` (Allegro: a minute), as when the limit is passed. */
  block(seconds: number): { blockedUntil: string } {
    this.blockedUntil = this.state.now() + seconds * 1000
    return { blockedUntil: isoTime(this.blockedUntil) }
  }

  unblock(): void {
    this.blockedUntil = 0
    this.windowCount = 0
  }

  get blockedUntilTime(): string | null {
    return this.blockedUntil > this.state.now() ? isoTime(this.blockedUntil) : null
  }

  private tooMany(): AllegroApiError {
    return new AllegroApiError(429, 'TOO_MANY_REQUESTS', 'Request limit exceeded: the application is blocked for a minute.', {
      userMessage: 'Too many requests; try again in a minute.',
    })
  }

  recordWrite(entry: Omit<LogEntry, 'seq' | 'at'>): number {
    return this.state.store.appendLog({ ...entry, at: isoTime(this.state.now()) })
  }

  writeLog(afterSeq = 0): LogEntry[] {
    return this.state.store.listLog(afterSeq)
  }
}
