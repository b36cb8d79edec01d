import type { SimulatorState } from './state.ts'

/** MALL's webhook: changed order ids, posted in batches, at most one call per `webhookIntervalMs`. */
export class WebhookSender {
  private readonly pendingWebhook = new Set<number>()
  private lastWebhookAt = Number.NEGATIVE_INFINITY
  private webhookTimer: NodeJS.Timeout | undefined
  private webhookInFlight: Promise<void> | undefined
  private closed = false

  constructor(private readonly state: SimulatorState) {}

  /** Queues an order id for the next webhook call; calls are batched, at most one per interval. */
  notifyChanged(id: number): void {
    if (!this.state.options.webhookUrl) return
    this.pendingWebhook.add(id)
    this.scheduleWebhook()
  }

  setWebhook(url: string | null, intervalMs?: number): void {
    this.state.options.webhookUrl = url
    if (intervalMs !== undefined) this.state.options.webhookIntervalMs = intervalMs
    this.scheduleWebhook()
  }

  private scheduleWebhook(): void {
    if (this.closed || this.webhookTimer || this.webhookInFlight || this.pendingWebhook.size === 0 || !this.state.options.webhookUrl) return
    // News is gathered for a moment before the first call too, so a burst goes out as one batch.
    const gather = Math.min(this.state.options.webhookIntervalMs, 1000)
    const wait = Math.max(gather, this.lastWebhookAt + this.state.options.webhookIntervalMs - this.state.now())
    this.webhookTimer = setTimeout(() => {
      this.webhookTimer = undefined
      this.webhookInFlight = this.sendWebhook().finally(() => {
        this.webhookInFlight = undefined
        this.scheduleWebhook()
      })
    }, wait)
    this.webhookTimer.unref()
  }

  private async sendWebhook(): Promise<void> {
    const url = this.state.options.webhookUrl
    if (!url) return
    const ids = [...this.pendingWebhook]
    this.pendingWebhook.clear()
    this.lastWebhookAt = this.state.now()
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(ids),
        signal: AbortSignal.timeout(10_000),
      })
      if (!response.ok) throw new Error(`answered ${response.status}`)
    } catch (error) {
      // MALL keeps the ids for the next call rather than losing the news.
      for (const id of ids) this.pendingWebhook.add(id)
      this.state.options.warn(`simulator webhook to ${url} failed: ${(error as Error).message}`)
    }
  }

  async close(): Promise<void> {
    this.closed = true
    clearTimeout(this.webhookTimer)
    await this.webhookInFlight
  }
}
