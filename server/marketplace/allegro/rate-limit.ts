/**
 * Allegro allows 9,000 requests a minute per Client ID, summed over every seller using the app;
 * beyond, it answers 429 and blocks the app for a minute. The station spends its share through a
 * token bucket (refilled continuously, so a burst never empties a minute's budget at once) and,
 * after a 429, sends nothing until the block is over.
 */
export class TokenBucket {
  private tokens: number
  private last: number
  private blockedUntil = 0
  private queue: Promise<void> = Promise.resolve()

  constructor(
    private readonly perMinute = 9000,
    private readonly burst = 100,
    private readonly clock: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {
    this.tokens = burst
    this.last = clock()
  }

  /** Until when Allegro blocks the app (a 429), or 0. */
  get blockedUntilMs(): number {
    return this.blockedUntil > this.clock() ? this.blockedUntil : 0
  }

  /** Allegro answered 429: nothing goes out before `until`. */
  block(until: number): void {
    this.blockedUntil = Math.max(this.blockedUntil, until)
  }

  /** Waits for a token; callers are served in the order they asked. */
  take(): Promise<void> {
    const turn = this.queue.then(() => this.waitForToken())
    this.queue = turn.catch(() => undefined)
    return turn
  }

  private async waitForToken(): Promise<void> {
    for (;;) {
      const now = this.clock()
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.perMinute) / 60_000)
      this.last = now
      if (this.tokens >= 1) {
        this.tokens -= 1
        return
      }
      await this.sleep(Math.ceil(((1 - this.tokens) * 60_000) / this.perMinute))
    }
  }
}
