import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAllegroSimulator, type RunningAllegro } from '../../support/allegro-simulator.ts'
import { AMOUNT, createOrder, expectErrors, getForm, ISO_TIME, listAll, MARKETPLACE_CURRENCIES } from './helpers.ts'

/** Reference §2 "Orders": the seeded shop, the list's filters, sorting and paging, the detail. */

let sim: RunningAllegro
let seeded: any[] // eslint-disable-line @typescript-eslint/no-explicit-any -- the wire shape

beforeAll(async () => {
  sim = await startAllegroSimulator()
  seeded = await listAll(sim)
})
afterAll(() => sim?.close())

describe('the seeded shop', () => {
  it('sells on allegro-pl, -cz, -sk and -hu in PLN, CZK, EUR and HUF, amounts as strings', () => {
    for (const [marketplace, currency] of Object.entries(MARKETPLACE_CURRENCIES)) {
      const forms = seeded.filter((form) => form.marketplace.id === marketplace)
      expect(forms.length, marketplace).toBeGreaterThan(0)
      for (const form of forms) {
        expect(form.summary.totalToPay.currency).toBe(currency)
        expect(form.summary.totalToPay.amount).toMatch(AMOUNT)
        for (const item of form.lineItems) expect(item.price).toEqual({ amount: expect.stringMatching(AMOUNT), currency })
      }
    }
  })

  it('has orders BOUGHT, FILLED_IN and READY_FOR_PROCESSING, cash on delivery and fulfilled by Allegro', () => {
    const statuses = new Set(seeded.map((form) => form.status))
    for (const status of ['BOUGHT', 'FILLED_IN', 'READY_FOR_PROCESSING']) expect(statuses).toContain(status)
    const cod = seeded.filter((form) => form.payment.type === 'CASH_ON_DELIVERY')
    expect(cod.length).toBeGreaterThan(0)
    // Nothing is paid yet for cash on delivery: the amount to collect is summary.totalToPay.
    for (const form of cod) expect(form.payment.paidAmount).toBeUndefined()
    expect(seeded.some((form) => form.fulfillment.provider.id === 'ALLEGRO')).toBe(true)
    const paid = seeded.filter((form) => form.status === 'READY_FOR_PROCESSING' && form.payment.type !== 'CASH_ON_DELIVERY')
    for (const form of paid) expect(form.payment.paidAmount).toEqual(form.summary.totalToPay)
  })

  it('carries the seller’s SKU as offer.external.id, an 8-hex revision and a masked buyer e-mail, no EAN or image', () => {
    for (const form of seeded) {
      expect(form.revision).toMatch(/^[0-9a-f]{8}$/)
      expect(form.updatedAt).toMatch(ISO_TIME)
      expect(form.buyer.email).toMatch(/@allegromail\.pl$/)
      for (const item of form.lineItems) {
        expect(item.offer.external.id).toMatch(/\S/)
        expect(JSON.stringify(item)).not.toMatch(/ean|gtin|image/i)
      }
    }
  })
})

describe('GET /order/checkout-forms', () => {
  it('sorts by the latest purchase, newest first, unless told', async () => {
    const times = seeded.map((form) => Math.max(...form.lineItems.map((item: { boughtAt: string }) => Date.parse(item.boughtAt))))
    expect(times).toEqual([...times].sort((a, b) => b - a))
    const ascending = await listAll(sim, { sort: 'lineItems.boughtAt' })
    expect(ascending.map((form) => form.id)).toEqual(seeded.map((form) => form.id).reverse())
    const byUpdate = await listAll(sim, { sort: '-updatedAt' })
    const updated = byUpdate.map((form) => Date.parse(form.updatedAt))
    expect(updated).toEqual([...updated].sort((a, b) => b - a))
  })

  it('filters by status, fulfillment status and provider, marketplace, buyer and lines sent', async () => {
    const ready = await listAll(sim, { status: 'READY_FOR_PROCESSING', 'fulfillment.provider.id': 'SELLER', 'marketplace.id': 'allegro-cz' })
    expect(ready.length).toBe(seeded.filter((f) => f.status === 'READY_FOR_PROCESSING' && f.fulfillment.provider.id === 'SELLER' && f.marketplace.id === 'allegro-cz').length)
    expect(ready.length).toBeGreaterThan(0)
    for (const form of ready) expect(form).toMatchObject({ status: 'READY_FOR_PROCESSING', fulfillment: { provider: { id: 'SELLER' } }, marketplace: { id: 'allegro-cz' } })
    const buyer = seeded[0].buyer.login
    expect((await listAll(sim, { 'buyer.login': buyer })).every((form) => form.buyer.login === buyer)).toBe(true)
    expect((await listAll(sim, { 'fulfillment.status': 'NEW', 'fulfillment.shipmentSummary.lineItemsSent': 'NONE' })).length).toBe(seeded.length)
    expect(await listAll(sim, { 'fulfillment.status': 'SENT' })).toEqual([])
  })

  it('filters by updatedAt and purchase time, bounds included', async () => {
    const form = await createOrder(sim)
    const since = await listAll(sim, { 'updatedAt.gte': form.updatedAt })
    expect(since.map((f) => f.id)).toContain(form.id)
    expect(since.every((f) => Date.parse(f.updatedAt) >= Date.parse(form.updatedAt))).toBe(true)
    const before = await listAll(sim, { 'lineItems.boughtAt.lte': new Date(Date.parse(form.lineItems[0].boughtAt) - 1).toISOString() })
    expect(before.map((f) => f.id)).not.toContain(form.id)
    // A bound that is no date is left out, not refused: Allegro's documents say nothing of one.
    const loose = await sim.call('GET', '/order/checkout-forms', { query: { 'updatedAt.gte': 'yesterday' } })
    expect(loose.status, loose.text).toBe(200)
    expect(loose.body.totalCount).toBeGreaterThanOrEqual(since.length)
  })

  it('pages with offset and limit, and counts', async () => {
    const page = await sim.call('GET', '/order/checkout-forms', { query: { limit: 5, offset: 3 } })
    expect(page.body.count).toBe(5)
    expect(page.body.totalCount).toBeGreaterThanOrEqual(seeded.length)
    const all = await listAll(sim)
    expect(page.body.checkoutForms.map((f: { id: string }) => f.id)).toEqual(all.slice(3, 8).map((f) => f.id))
  })

  it('refuses offset + limit over 10000 with 422, and limit outside 1–100', async () => {
    expectErrors(await sim.call('GET', '/order/checkout-forms', { query: { offset: 9901, limit: 100 } }), 422, 'VALIDATION_ERROR')
    expect((await sim.call('GET', '/order/checkout-forms', { query: { offset: 9900, limit: 100 } })).status).toBe(200)
    expectErrors(await sim.call('GET', '/order/checkout-forms', { query: { limit: 101 } }), 422)
    expectErrors(await sim.call('GET', '/order/checkout-forms', { query: { limit: 0 } }), 422)
  })

  it('takes an unknown status as matching nothing and an unknown sort as the default order (the documents refuse neither)', async () => {
    const unknownStatus = await sim.call('GET', '/order/checkout-forms', { query: { status: 'OPEN' } })
    expect(unknownStatus.status, unknownStatus.text).toBe(200)
    expect(unknownStatus.body).toEqual({ checkoutForms: [], count: 0, totalCount: 0 })
    const unknownSort = await sim.call('GET', '/order/checkout-forms', { query: { sort: 'id', limit: 20 } })
    expect(unknownSort.status, unknownSort.text).toBe(200)
    const byDefault = await sim.call('GET', '/order/checkout-forms', { query: { limit: 20 } })
    expect(unknownSort.body.checkoutForms.map((f: { id: string }) => f.id)).toEqual(byDefault.body.checkoutForms.map((f: { id: string }) => f.id))
  })
})

describe('GET /order/checkout-forms/{id}', () => {
  it('answers the same form as the list', async () => {
    expect(await getForm(sim, seeded[0].id)).toEqual(seeded[0])
  })
})

describe('the control API’s orders', () => {
  it('creates an order of a given marketplace, COD, lines and status', async () => {
    const offers = (await sim.control('GET', '/_sim/offers')).body.offers
    const form = await createOrder(sim, { marketplace: 'allegro-hu', cod: true, lines: [{ offerId: offers[0].id, quantity: 2 }] })
    expect(form).toMatchObject({ status: 'READY_FOR_PROCESSING', marketplace: { id: 'allegro-hu' }, payment: { type: 'CASH_ON_DELIVERY' } })
    expect(form.lineItems).toHaveLength(1)
    expect(form.lineItems[0]).toMatchObject({ quantity: 2, offer: { id: offers[0].id, external: { id: offers[0].sku } }, price: { currency: 'HUF' } })
    expect(await getForm(sim, form.id)).toEqual(form)
    expect((await sim.control('POST', '/_sim/orders', { marketplace: 'allegro-de' })).status).toBe(422)
  })

  it('moves a held-back order on: BOUGHT, filled in, paid', async () => {
    const form = await createOrder(sim, { status: 'BOUGHT' })
    expect(form.status).toBe('BOUGHT')
    expect((await sim.control('POST', `/_sim/orders/${form.id}/fill-in`)).body.status).toBe('FILLED_IN')
    const paid = (await sim.control('POST', `/_sim/orders/${form.id}/pay`)).body
    expect(paid.status).toBe('READY_FOR_PROCESSING')
    expect(paid.revision).not.toBe(form.revision)
    expect(paid.payment.paidAmount).toEqual(paid.summary.totalToPay)
  })

  it('a combined payment makes a new checkout form of the same line items and deletes the old ones (#3284)', async () => {
    const a = await createOrder(sim, { status: 'FILLED_IN', marketplace: 'allegro-sk' })
    const b = await createOrder(sim, { status: 'BOUGHT', marketplace: 'allegro-sk' })
    const combined = await sim.control('POST', '/_sim/orders/combine', { ids: [a.id, b.id] })
    expect(combined.status, combined.text).toBe(201)
    const form = await getForm(sim, combined.body.id)
    expect(form.id).not.toBe(a.id)
    expect(form.status).toBe('READY_FOR_PROCESSING')
    expect(form.lineItems.map((l: { id: string }) => l.id).sort()).toEqual([...a.lineItems, ...b.lineItems].map((l: { id: string }) => l.id).sort())
    expectErrors(await sim.call('GET', `/order/checkout-forms/${a.id}`), 404)
    expectErrors(await sim.call('GET', `/order/checkout-forms/${b.id}`), 404)
    const paid = await createOrder(sim)
    expect((await sim.control('POST', '/_sim/orders/combine', { ids: [paid.id, (await createOrder(sim, { status: 'BOUGHT' })).id] })).status).toBe(409)
  })
})
