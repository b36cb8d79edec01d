import { OutageAndLog as SharedOutageAndLog } from '../common/outage-and-log.ts'
import { AllegroApiError, invalid } from './errors.ts'
import { isoTime } from './seed.ts'
import type { AllegroState } from './state.ts'

export type OutageMode = 'off' | '500' | '503' | 'hang'
export const OUTAGE_MODES: readonly OutageMode[] = ['off', '500', '503', 'hang']

/**
 * The outage a test or demo switches on (`/allegro/_sim/outage`), Allegro's rate limit (9000
 * requests a minute per client id, then 429 and a one-minute block), and the log of writes.
 */
export class OutageAndLog extends SharedOutageAndLog<OutageMode> {
  private windowStart = 0
  private windowCount = 0
  private blockedUntil = 0

  constructor(private readonly state: AllegroState) {
    super(
      state,
      OUTAGE_MODES,
      (mode) => invalid('mode', `Outage mode must be one of ${OUTAGE_MODES.join(', ')}, not “${mode}”; for 429 use POST /allegro/_sim/rate-limit/block.`, 400),
      isoTime,
    )
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
}
