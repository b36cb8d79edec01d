import { describe, expect, it } from 'vitest'
import { DEMO_SELLER } from '#core/seller.ts'
import { deliveryNote, orderBarcodeValue, shippingLabels } from '../../../src/services/print/documents.ts'
import { labelZpl } from '../../../src/services/print/zpl.ts'
import { makeOrder } from '../core/fixtures.ts'
import { paperFor } from '../../../src/i18n/paper.ts'

// The papers in Czech, as a Czech customer gets them.
const PAPER = await paperFor('cs')

const codOrder = makeOrder({
  id: 10085339302,
  cod: 3686,
  cod_price: 39,
  delivery_price: 29,
  discount: 100,
  items: [
    { id: 'KETTLE-17', article_id: 1, title: 'Rychlovarná konvice', quantity: 2, price: 1799, vat: 21, commission: null, serial_numbers: [] },
    { id: 'FILTER-3', article_id: 2, title: 'Filtr', quantity: 1, price: 120.5, vat: 21, commission: null, serial_numbers: [] },
  ],
})

describe('the delivery note', () => {
  it('carries the order number as its barcode, and only the number', () => {
    const note = deliveryNote(codOrder, DEMO_SELLER, PAPER)
    expect(note.barcode).toBe('10085339302')
    expect(orderBarcodeValue(codOrder)).toBe('10085339302')
  })

  it('lists items with quantities and prices, the discount, delivery, the COD fee and the amount to collect', () => {
    const note = deliveryNote(codOrder, DEMO_SELLER, PAPER)
    const nbsp = (s: string) => s.replace(/\s/g, ' ')
    expect(note.lines.map((l) => [l.sku, l.quantity, nbsp(l.unit_price), nbsp(l.total)])).toEqual([
      ['KETTLE-17', 2, '1 799 Kč', '3 598 Kč'],
      ['FILTER-3', 1, '120,50 Kč', '120,50 Kč'],
    ])
    expect(nbsp(note.items_total)).toBe('3 718,50 Kč')
    expect(nbsp(note.delivery_price ?? '')).toBe('29 Kč')
    expect(nbsp(note.cod_price ?? '')).toBe('39 Kč')
    expect(nbsp(note.discount ?? '')).toBe('−100 Kč')
    expect(nbsp(note.total)).toBe('3 686,50 Kč')
    expect(nbsp(note.to_collect ?? '')).toBe('3 686 Kč')
    expect(note.payment).toBe('Dobírka')
    expect(note.unit_count).toBe(3)
    expect(note.seller.name).toBe(DEMO_SELLER.name)
  })

  it('says a prepaid order has nothing to collect, whatever the payment type says', () => {
    const note = deliveryNote(makeOrder({ cod: 0, payment_type: 'cod' }), DEMO_SELLER, PAPER)
    expect(note.to_collect).toBeNull()
    expect(note.payment).toBe('Zaplaceno')
  })

  it('names the delivery method and its carrier, never the marketplace’s code', () => {
    const dpd = deliveryNote(makeOrder({ delivery_method: 'dpdCz' }), DEMO_SELLER, PAPER)
    expect([dpd.delivery_method, dpd.carrier]).toEqual(['DPD (na adresu)', 'DPD'])
    const mall = deliveryNote(makeOrder({ delivery_method: 'mallDeliveryPickup', mdp: true }), DEMO_SELLER, PAPER)
    expect([mall.delivery_method, mall.carrier]).toEqual(['MALL Delivery – výdejní místo', 'MALL Delivery'])
    const unknown = deliveryNote(makeOrder({ delivery_method: '20' }), DEMO_SELLER, PAPER)
    expect([unknown.delivery_method, unknown.carrier]).toEqual(['Způsob doručení 20', 'Vlastní dopravce'])
  })

  it('names the pickup point for pickup-point delivery', () => {
    const order = makeOrder({ branch_id: 4021, branches: { branch_id: 4021, secondary_branch_id: null, overridden: false, last_change: null } })
    expect(deliveryNote(order, DEMO_SELLER, PAPER).pickup_point).toBe('4021')
    expect(deliveryNote(makeOrder(), DEMO_SELLER, PAPER).pickup_point).toBeNull()
  })
})

describe('the shipping labels', () => {
  it('makes one label per parcel, numbered i of n, each with the order barcode and the COD amount', () => {
    const labels = shippingLabels(codOrder, DEMO_SELLER, 3, PAPER)
    expect(labels.map((l) => `${l.parcel}/${l.parcels}`)).toEqual(['1/3', '2/3', '3/3'])
    expect(new Set(labels.map((l) => l.barcode))).toEqual(new Set(['10085339302']))
    expect(labels[0]?.cod_amount).toBe('3686.00')
    expect(labels[0]?.sender.name).toBe(DEMO_SELLER.name)
    expect(labels[0]?.recipient).toMatchObject({ name: 'Jana Nováková', city: 'Praha', zip: '11000' })
  })

  it('names the delivery method on the label and in its ZPL, not the code', () => {
    const [label] = shippingLabels(makeOrder({ delivery_method: 'zasilkovnaCz' }), DEMO_SELLER, 1, PAPER)
    expect(label?.delivery_method).toBe('Zásilkovna – výdejní místo')
    const zpl = labelZpl(label ? [label] : [], { dpi: 203, size: '100x150' })
    expect(zpl).toContain('^FDZásilkovna – výdejní místo^FS')
    expect(zpl).not.toContain('zasilkovnaCz')
  })

  it('marks a prepaid parcel as such', () => {
    const [label] = shippingLabels(makeOrder({ cod: 0 }), DEMO_SELLER, 1, PAPER)
    expect(label?.cod).toBeNull()
    expect(label?.cod_amount).toBeNull()
  })

  it('refuses a parcel count outside 1 to 100 with a sentence', () => {
    expect(() => shippingLabels(codOrder, DEMO_SELLER, 0, PAPER)).toThrow(/whole number from 1 to 100/)
    expect(() => shippingLabels(codOrder, DEMO_SELLER, 101, PAPER)).toThrow(/whole number from 1 to 100/)
    expect(() => shippingLabels(codOrder, DEMO_SELLER, 1.5, PAPER)).toThrow(/whole number from 1 to 100/)
  })
})
