import { describe, expect, it } from 'vitest'
import { checkStatusChange } from '#core/status.ts'
import { normalizeCheckoutForm, normalizeOffer, stationStatus } from '../../../../server/marketplace/allegro/normalize.ts'
import { checkoutForm, productOffer } from './fixtures.ts'

describe('Allegro orders read into the station’s order', () => {
  it.each([
    ['BOUGHT', 'NEW', 'blocked', false],
    ['FILLED_IN', 'NEW', 'blocked', false],
    ['READY_FOR_PROCESSING', 'NEW', 'open', false],
    ['READY_FOR_PROCESSING', 'PROCESSING', 'open', true],
    ['READY_FOR_PROCESSING', 'SUSPENDED', 'open', true],
    ['READY_FOR_PROCESSING', 'READY_FOR_SHIPMENT', 'shipping', true],
    ['READY_FOR_PROCESSING', 'READY_FOR_PICKUP', 'shipping', true],
    ['READY_FOR_PROCESSING', 'SENT', 'shipped', true],
    ['READY_FOR_PROCESSING', 'PICKED_UP', 'delivered', true],
    ['READY_FOR_PROCESSING', 'RETURNED', 'returned', true],
    ['READY_FOR_PROCESSING', 'CANCELLED', 'cancelled', true],
    ['CANCELLED', 'NEW', 'cancelled', false],
    ['CANCELLED', 'PROCESSING', 'cancelled', true],
  ])('%s with fulfillment %s is %s (confirmed %s)', (status, fulfillment, expected, confirmed) => {
    expect(stationStatus({ status, fulfillment: { status: fulfillment } })).toEqual({ status: expected, confirmed })
  })

  it('a Czech cash-on-delivery order: the amount to collect is totalToPay, the SKU the offer’s external id', () => {
    const order = normalizeCheckoutForm(checkoutForm(), 1001)
    expect(order).toMatchObject({
      id: 1001,
      external_id: '29738e61-7f6a-11e8-ac45-09db60ede9d6',
      source: 'allegro-cz',
      status: 'open',
      confirmed: false,
      cod: 487,
      currency: 'CZK',
      delivery_price: 89,
      delivery_method: 'Kurýr DPD',
      mdp: false,
      marketplace_closes: true,
      customer: 'Jan Novák',
      address: { name: 'Jan Novák', street: 'Dlouhá 12', city: 'Praha', zip: '110 00', country: 'CZ', email: 'user-a1b2c3@allegromail.pl' },
    })
    expect(order.items).toEqual([expect.objectContaining({ id: 'MUG-330', title: 'Hrnek Allegro 330 ml', quantity: 2, price: 199, vat: 21 })])
  })

  it('a prepaid order collects nothing; an offer without an external id is picked by its offer id', () => {
    const form = checkoutForm({ payment: { id: 'p', type: 'ONLINE', paidAmount: { amount: '487.00', currency: 'CZK' } } })
    const first = form.lineItems[0]!
    form.lineItems = [{ ...first, offer: { id: '7777', name: 'Bez SKU', external: null } }]
    const order = normalizeCheckoutForm(form, 1002)
    expect(order.cod).toBe(0)
    expect(order.items[0]?.id).toBe('7777')
  })

  it('an Allegro Delivery method ships with Allegro’s labels; a pickup point is a pickup delivery', () => {
    const form = checkoutForm({
      delivery: { ...checkoutForm().delivery, method: { id: 'x', name: 'Allegro Paczkomaty InPost' }, pickupPoint: { id: 'POZ08A', name: 'Paczkomat POZ08A' } } as never,
    })
    const order = normalizeCheckoutForm(form, 1003)
    expect(order.mdp).toBe(true)
    expect(order.branch_id).not.toBeNull()
  })

  it('a sent parcel the carrier reports delivered (or returned) ends the order, with the carrier’s time', () => {
    const sent = checkoutForm({ fulfillment: { status: 'SENT' } })
    expect(normalizeCheckoutForm(sent, 1005, 'W1').status).toBe('shipped')
    const delivered = normalizeCheckoutForm(sent, 1005, 'W1', { code: 'DELIVERED', at: '2026-11-26T09:30:00Z' })
    expect(delivered).toMatchObject({ status: 'delivered', delivered_at: '2026-11-26 10:30:00', tracking_number: 'W1' })
    expect(normalizeCheckoutForm(sent, 1005, 'W1', { code: 'RETURNED', at: '2026-11-26T09:30:00Z' }).status).toBe('returned')
  })

  it('the station refuses delivered and returned for an Allegro order: Allegro sets them', () => {
    const order = normalizeCheckoutForm(checkoutForm({ fulfillment: { status: 'SENT' } }), 1004)
    const refusal = checkStatusChange({ ...order, marketplace_closes: order.marketplace_closes }, { status: 'delivered', delivered_at: '2026-11-25 12:00:00' }, 'seller', Date.parse('2026-11-26T10:00:00Z'))
    expect(refusal?.code).toBe('STATUS_SET_BY_MARKETPLACE')
    expect(checkStatusChange({ ...order, mdp: false, marketplace_closes: false }, { status: 'delivered', delivered_at: '2026-11-25 12:00:00' }, 'seller', Date.parse('2026-11-26T10:00:00Z'))).toBeNull()
  })
})

describe('Allegro offers read into the catalogue', () => {
  it('the EAN is parameter 225693 of the product, the SKU external.id, the first image the main photo', () => {
    expect(normalizeOffer(productOffer())).toMatchObject({
      id: 'MUG-330',
      title: 'Hrnek Allegro 330 ml',
      barcode: '5901234123457',
      media: [
        { url: 'https://a.allegroimg.com/original/12068b/359d04074521b79df1b2807a6727', main: true },
        { url: 'https://a.allegroimg.com/original/2/second', main: false },
      ],
    })
  })

  it('an offer whose product has no EAN has no barcode (the offer’s own parameters are not searched)', () => {
    const offer = productOffer({ productSet: [{ product: { id: 'p', parameters: [] } }] as never, parameters: [{ id: '225693', values: ['123'] }] } as never)
    expect(normalizeOffer(offer).barcode).toBeNull()
  })
})
