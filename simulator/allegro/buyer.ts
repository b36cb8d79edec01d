import { AllegroApiError, invalid } from './errors.ts'
import { isoTime, MARKETPLACES, methodsFor, pickLines, type OrderSpec } from './seed.ts'
import type { AllegroState } from './state.ts'
import { boughtAt } from './orders.ts'
import type { CheckoutForm, CheckoutFormStatus } from './wire.ts'

/** What Allegro's buyers (and Allegro itself) do, through the control API for demos and tests. */
export class BuyerActions {
  constructor(private readonly state: AllegroState) {}

  /**
   * `POST /allegro/_sim/orders`: a new purchase. Body (all optional): `marketplace` (allegro-pl|-cz|-sk|-hu),
   * `status` (BOUGHT|FILLED_IN|READY_FOR_PROCESSING), `cod`, `allegroFulfillment`, `deliveryMethodId`,
   * `lines: [{offerId, quantity}]`, `buyerLogin`.
   */
  createOrder(body: unknown): CheckoutForm {
    const input = (body ?? {}) as Record<string, unknown>
    const marketplace = input.marketplace ?? 'allegro-pl'
    if (!MARKETPLACES.some((m) => m.id === marketplace)) throw invalid('marketplace', `marketplace must be one of ${MARKETPLACES.map((m) => m.id).join(', ')}.`)
    const status = input.status ?? 'READY_FOR_PROCESSING'
    if (!['BOUGHT', 'FILLED_IN', 'READY_FOR_PROCESSING'].includes(status as string)) {
      throw invalid('status', 'status must be BOUGHT, FILLED_IN or READY_FOR_PROCESSING.')
    }
    if (input.deliveryMethodId !== undefined && !methodsFor(marketplace as string).some((m) => m.id === input.deliveryMethodId)) {
      throw invalid('deliveryMethodId', `deliveryMethodId must be one of ${marketplace as string}'s: ${methodsFor(marketplace as string).map((m) => `${m.id} (${m.name})`).join(', ')}.`)
    }
    let lines: OrderSpec['lines']
    if (input.lines === undefined) {
      lines = pickLines([...this.state.offers.values()], this.state.random)
    } else {
      if (!Array.isArray(input.lines) || input.lines.length === 0) throw invalid('lines', 'lines must be a non-empty list of {offerId, quantity}.')
      lines = input.lines.map((line: { offerId?: unknown; quantity?: unknown }, index) => {
        const offer = this.state.offers.get(String(line?.offerId))
        if (!offer) throw invalid(`lines[${index}].offerId`, `There is no offer ${String(line?.offerId)}; see GET /allegro/_sim/offers.`)
        const quantity = line.quantity ?? 1
        if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 1) throw invalid(`lines[${index}].quantity`, 'quantity must be a positive integer.')
        return { offer, quantity }
      })
    }
    const method = methodsFor(marketplace as string).find((m) => m.id === input.deliveryMethodId)
    return this.state.addOrder({
      marketplace: marketplace as OrderSpec['marketplace'],
      status: status as CheckoutFormStatus,
      cod: method ? method.cod : input.cod === true,
      allegroFulfillment: input.allegroFulfillment === true,
      deliveryMethodId: method?.id,
      lines,
      boughtAt: this.state.now(),
      buyerLogin: typeof input.buyerLogin === 'string' ? input.buyerLogin : undefined,
    })
  }

  /**
   * The buyer pays several unpaid purchases at once (`POST /allegro/_sim/orders/combine`): Allegro
   * makes a new checkout form holding their line items (same line item ids) and deletes the old
   * ones, whose ids then answer 404 (#3284). Paid (READY_FOR_PROCESSING) unless `pay: false`.
   */
  combine(body: unknown): CheckoutForm {
    const input = (body ?? {}) as { ids?: unknown; pay?: unknown }
    if (!Array.isArray(input.ids) || input.ids.length < 2 || input.ids.some((id) => typeof id !== 'string')) {
      throw invalid('ids', 'ids must list at least two checkout form ids.')
    }
    const forms = (input.ids as string[]).map((id) => this.state.getForm(id, 404))
    const [first] = forms as [CheckoutForm, ...CheckoutForm[]]
    for (const form of forms) {
      if (form.status !== 'BOUGHT' && form.status !== 'FILLED_IN') throw conflict(`Checkout form ${form.id} is ${form.status}: only unpaid purchases are paid together.`)
      if (form.marketplace.id !== first.marketplace.id) throw conflict('Purchases of different marketplaces cannot be paid together.')
    }
    const currency = first.summary.totalToPay.currency
    const lines = forms.flatMap((form) => form.lineItems)
    const total = lines.reduce((sum, item) => sum + Number(item.price.amount) * item.quantity, Number(first.delivery.cost.amount))
    const combined: CheckoutForm = {
      ...structuredClone(first),
      id: this.state.random.uuid(),
      lineItems: structuredClone(lines),
      status: 'FILLED_IN',
      summary: { totalToPay: { amount: total.toFixed(2), currency } },
      payment: { id: this.state.random.uuid(), type: first.payment.type },
    }
    this.state.touch(combined, true)
    for (const form of forms) this.state.removeForm(form.id)
    this.state.saveForm(combined)
    this.state.emit('FILLED_IN', combined)
    return input.pay === false ? combined : this.pay(combined.id)
  }

  /** The buyer fills in the checkout form (BOUGHT → FILLED_IN). */
  fillIn(id: string): CheckoutForm {
    const form = this.state.getForm(id, 404)
    if (form.status !== 'BOUGHT') throw conflict(`Checkout form ${id} is ${form.status}, not BOUGHT.`)
    form.status = 'FILLED_IN'
    this.state.touch(form, true)
    this.state.saveForm(form)
    this.state.emit('FILLED_IN', form)
    return form
  }

  /** The buyer pays (or picks cash on delivery): READY_FOR_PROCESSING, the data frozen. */
  pay(id: string): CheckoutForm {
    let form = this.state.getForm(id, 404)
    if (form.status === 'BOUGHT') form = this.fillIn(id)
    if (form.status !== 'FILLED_IN') throw conflict(`Checkout form ${id} is ${form.status}; only a BOUGHT or FILLED_IN one can be paid.`)
    form.status = 'READY_FOR_PROCESSING'
    if (form.payment.type !== 'CASH_ON_DELIVERY') {
      form.payment = { ...form.payment, provider: 'P24', finishedAt: isoTime(this.state.now()), paidAmount: { ...form.summary.totalToPay } }
    }
    this.state.touch(form, true)
    this.state.saveForm(form)
    this.state.emit('READY_FOR_PROCESSING', form)
    return form
  }

  /**
   * The buyer cancels, under the gates of Allegro's 2020 news (#3085): within `buyerCancelDays`
   * of the purchase, the fulfillment not PROCESSING, READY_FOR_SHIPMENT or SENT, and no waybill
   * yet. `force` skips the gates (a cancellation that arrives late anyway); `auto` is Allegro
   * cancelling an unpaid purchase (AUTO_CANCELLED). The fulfillment status stays (#3337).
   */
  cancel(id: string, body: unknown): CheckoutForm {
    const form = this.state.getForm(id, 404)
    const input = (body ?? {}) as { force?: unknown; auto?: unknown }
    if (form.status === 'CANCELLED') throw conflict(`Checkout form ${id} is cancelled already.`)
    if (input.auto === true) {
      if (form.status === 'READY_FOR_PROCESSING') throw conflict(`Checkout form ${id} is paid: Allegro cancels only unpaid purchases by itself.`)
    } else if (input.force !== true) {
      this.checkBuyerGates(form, 'cancel')
    }
    form.status = 'CANCELLED'
    this.state.touch(form, true)
    this.state.saveForm(form)
    this.state.emit(input.auto === true ? 'AUTO_CANCELLED' : 'BUYER_CANCELLED', form)
    return form
  }

  /** The buyer changes the delivery address (BUYER_MODIFIED), under the same gates as cancelling (#3730). */
  modify(id: string, body: unknown): CheckoutForm {
    const form = this.state.getForm(id, 404)
    const input = (body ?? {}) as { force?: unknown; address?: Record<string, unknown> }
    if (form.status === 'CANCELLED') throw conflict(`Checkout form ${id} is cancelled.`)
    if (input.force !== true) this.checkBuyerGates(form, 'change the address of')
    const change = input.address ?? {}
    const address = form.delivery.address
    for (const key of ['firstName', 'lastName', 'street', 'city', 'zipCode', 'phoneNumber', 'companyName'] as const) {
      if (typeof change[key] === 'string') address[key] = change[key] as string
    }
    if (input.address === undefined) address.street = `${address.street.replace(/ \(2\)$/, '')} (2)`
    address.modifiedAt = isoTime(this.state.now())
    this.state.touch(form, true)
    this.state.saveForm(form)
    this.state.emit('BUYER_MODIFIED', form)
    return form
  }

  private checkBuyerGates(form: CheckoutForm, what: string): void {
    const days = this.state.options.buyerCancelDays
    if (this.state.now() - boughtAt(form) > days * 24 * 3600 * 1000) {
      throw conflict(`The buyer can no longer ${what} checkout form ${form.id}: it was bought more than ${days} days ago.`)
    }
    if (['PROCESSING', 'READY_FOR_SHIPMENT', 'SENT'].includes(form.fulfillment.status)) {
      throw conflict(`The buyer can no longer ${what} checkout form ${form.id}: the seller has it ${form.fulfillment.status}.`)
    }
    if ((this.state.shipments.get(form.id) ?? []).length > 0) {
      throw conflict(`The buyer can no longer ${what} checkout form ${form.id}: it has a waybill.`)
    }
  }
}

function conflict(message: string): AllegroApiError {
  return new AllegroApiError(409, 'BUYER_ACTION_NOT_ALLOWED', message)
}

