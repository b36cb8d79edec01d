import { describe, expect, it } from 'vitest'
import { DEFAULT_CARRIERS, type Carrier } from '#core/carriers.ts'
import {
  marketplaceDeliveryName,
  carrierForMethod,
  defaultCarrierFor,
  DELIVERY_METHODS,
  deliveryLine,
  deliveryMethod,
  deliveryMethodOf,
  readableCode,
} from '#core/delivery-methods.ts'
import { createRandom } from '../../../simulator/common/random.ts'
import { buildOrder } from '../../../simulator/mall/seed.ts'
import { makeOrder } from './fixtures.ts'

const pickup = (id: number) => ({ branch_id: id, branches: { branch_id: id, secondary_branch_id: null, overridden: false, last_change: null } })

describe('the delivery methods', () => {
  it.each([
    ['pplCz', 'PPL (home delivery)', 'PPL', false, false],
    ['dpdCz', 'DPD (home delivery)', 'DPD', false, false],
    ['zasilkovnaCz', 'Zásilkovna pickup point', 'Zásilkovna', true, false],
    ['mallDeliveryAddress', 'MALL Delivery (home delivery)', 'MALL Delivery', false, true],
    ['mallDeliveryPickup', 'MALL Delivery pickup point', 'MALL Delivery', true, true],
  ])('name %s “%s”, carried by %s', (code, name, carrier, pickupPoint, mdp) => {
    expect(deliveryMethod(code)).toEqual(expect.objectContaining({ code, name, carrier, pickup_point: pickupPoint, mdp }))
  })

  it('cover every method the demo shop’s orders use', () => {
    const known = new Set(DELIVERY_METHODS.map((method) => method.code))
    for (const code of ['pplCz', 'dpdCz', 'zasilkovnaCz', 'mallDeliveryAddress', 'mallDeliveryPickup']) expect(known).toContain(code)
    // Every code is listed once, and no name is a code.
    expect(known.size).toBe(DELIVERY_METHODS.length)
    for (const method of DELIVERY_METHODS) expect(method.name).not.toBe(method.code)
  })

  it('agree with the simulator’s orders: what a seeded method is, the order is too', () => {
    const random = createRandom(20261122)
    for (const mdp of [false, true]) {
      for (const pickupPoint of [false, true]) {
        const order = buildOrder(
          { id: 10_000_000_001, status: 'open', createdAt: Date.UTC(2026, 10, 20), statusAt: Date.UTC(2026, 10, 20), items: [], cod: false, mdp, pickup: pickupPoint, test: false, discount: 0, market: 'cz' },
          random,
        )
        const method = deliveryMethodOf(order)
        expect(method.carrier, order.delivery_method).not.toBeNull()
        expect(method.mdp, order.delivery_method).toBe(order.mdp)
        expect(method.pickup_point, order.delivery_method).toBe(pickupPoint)
      }
    }
  })

  it.each([
    ['wedoHomeSk', 'Wedo home (SK)'],
    ['someNewCarrier', 'Some new carrier'],
    ['DPD', 'DPD'],
    ['20', 'Delivery method 20'],
    ['  ', 'Delivery method not given'],
    ['PPL kurýr na dobírku', 'PPL kurýr na dobírku'],
  ])('read a code nobody listed as words: %j → %s', (code, name) => {
    expect(readableCode(code)).toBe(name)
    expect(deliveryMethod(code)).toEqual({ code, name, carrier: null, carrier_words: [], pickup_point: false, mdp: false })
  })

  it('take what the order says for a code nobody listed: MALL Delivery, a pickup point', () => {
    const order = makeOrder({ delivery_method: '20', mdp: true, ...pickup(4711) })
    expect(deliveryMethodOf(order)).toMatchObject({ name: 'Delivery method 20', carrier: 'MALL Delivery', mdp: true, pickup_point: true })
    expect(deliveryLine(order)).toBe('Delivery method 20, pickup point 4711')
    expect(deliveryLine(makeOrder({ delivery_method: 'zasilkovnaCz', ...pickup(815) }))).toBe('Zásilkovna pickup point 815')
    expect(deliveryLine(makeOrder({ delivery_method: 'dpdCz' }))).toBe('DPD (home delivery)')
  })
})

describe('the carrier a method goes with', () => {
  const ids = (carrier: Carrier | null) => carrier?.id ?? null

  it('is found in the warehouse’s own list by id or name, accents and case aside', () => {
    expect(ids(carrierForMethod(deliveryMethod('dpdCz'), DEFAULT_CARRIERS))).toBe('dpd')
    expect(ids(carrierForMethod(deliveryMethod('pplCz'), DEFAULT_CARRIERS))).toBe('ppl')
    expect(ids(carrierForMethod(deliveryMethod('zasilkovnaCz'), DEFAULT_CARRIERS))).toBe('packeta')
    expect(ids(carrierForMethod(deliveryMethod('packetaSk'), DEFAULT_CARRIERS))).toBe('packeta')
    expect(ids(carrierForMethod(deliveryMethod('ceskaPostaCz'), DEFAULT_CARRIERS))).toBe('ceska-posta')
    const own: Carrier[] = [
      { id: 'van', name: 'Our van', tracking_url_template: 'https://van.example/{tracking_number}' },
      { id: 'courier-1', name: 'ZASILKOVNA s.r.o.', tracking_url_template: 'https://z.example/{tracking_number}' },
    ]
    expect(ids(carrierForMethod(deliveryMethod('zasilkovnaCz'), own))).toBe('courier-1')
  })

  it('is never another carrier: a word inside another word does not count', () => {
    const own: Carrier[] = [{ id: 'dpdx', name: 'Xdpd Express', tracking_url_template: 'https://x.example/{tracking_number}' }]
    expect(carrierForMethod(deliveryMethod('dpdCz'), own)).toBeNull()
  })

  it('is offered first at hand-over; for a method we know with no carrier here, none; for a code we do not know, the last used', () => {
    const withoutDpd = DEFAULT_CARRIERS.filter((carrier) => carrier.id !== 'dpd')
    expect(ids(defaultCarrierFor(deliveryMethod('dpdCz'), DEFAULT_CARRIERS, 'ppl'))).toBe('dpd')
    expect(defaultCarrierFor(deliveryMethod('dpdCz'), withoutDpd, 'ppl')).toBeNull()
    expect(ids(defaultCarrierFor(deliveryMethod('20'), DEFAULT_CARRIERS, 'gls'))).toBe('gls')
    expect(ids(defaultCarrierFor(deliveryMethod('20'), DEFAULT_CARRIERS, null))).toBe('ppl')
  })
})

describe('the marketplace’s own delivery service', () => {
  it('an Allegro order’s labels are Allegro Delivery’s, a MALL order’s MALL Delivery’s', () => {
    const allegro = { ...makeOrder(), source: 'allegro-cz', mdp: true, delivery_method: 'Allegro Zásilkovna - výdejní místo' }
    expect(marketplaceDeliveryName(allegro)).toBe('Allegro Delivery')
    expect(deliveryMethodOf(allegro)).toMatchObject({ name: 'Allegro Zásilkovna - výdejní místo', carrier: 'Allegro Delivery', mdp: true })
    expect(marketplaceDeliveryName(makeOrder())).toBe('MALL Delivery')
  })
})
