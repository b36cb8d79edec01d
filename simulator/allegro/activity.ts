import type { BuyerActions } from './buyer.ts'
import { AllegroApiError } from './errors.ts'
import { MARKETPLACES } from './seed.ts'
import type { AllegroState } from './state.ts'

/**
 * What buyers do by themselves in a demo, one step every `activityIntervalMs`: buy, pay for a
 * held-back purchase, now and then cancel one the seller has not started. Off in tests.
 */
export class BuyerActivity {
  private timer: NodeJS.Timeout | null = null

  constructor(
    private readonly state: AllegroState,
    private readonly buyer: BuyerActions,
  ) {}

  start(): void {
    if (this.timer !== null) return
    this.timer = setInterval(() => {
      try {
        this.step()
      } catch (error) {
        this.state.options.warn(`Allegro simulator activity failed: ${error instanceof Error ? error.message : String(error)}`)
      }
    }, this.state.options.activityIntervalMs)
    this.timer.unref()
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer)
    this.timer = null
  }

  /** One thing a buyer does; returns what happened, or null when nothing could. */
  step(): string | null {
    const random = this.state.random
    const roll = random.next()
    const forms = [...this.state.forms.values()]
    if (roll < 0.25) {
      const held = forms.filter((form) => form.status === 'BOUGHT' || form.status === 'FILLED_IN')
      if (held.length > 0) {
        const form = this.buyer.pay(random.pick(held).id)
        return `checkout form ${form.id} paid: READY_FOR_PROCESSING`
      }
    }
    if (roll > 0.92) {
      const open = forms.filter((form) => form.status === 'READY_FOR_PROCESSING' && form.fulfillment.status === 'NEW' && form.fulfillment.provider.id === 'SELLER')
      if (open.length > 0) {
        try {
          const form = this.buyer.cancel(random.pick(open).id, {})
          return `checkout form ${form.id} cancelled by the buyer`
        } catch (error) {
          if (!(error instanceof AllegroApiError)) throw error
        }
      }
    }
    const status = random.pick(['READY_FOR_PROCESSING', 'READY_FOR_PROCESSING', 'READY_FOR_PROCESSING', 'FILLED_IN', 'BOUGHT'])
    const form = this.buyer.createOrder({ marketplace: random.pick(MARKETPLACES).id, status, cod: random.chance(0.3) })
    return `new checkout form ${form.id} on ${form.marketplace.id}: ${form.status}`
  }
}
