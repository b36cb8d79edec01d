import { describe, expect, it } from 'vitest'
import {
  amountToCollect,
  codForUnpaidOrder,
  formatMoney,
  isCashOnDelivery,
  itemsTotal,
  orderTotal,
  type CodInputs,
} from '#core/cod.ts'

const line = (price: number, quantity = 1) => ({ price, quantity })

function inputs(overrides: Partial<CodInputs> = {}): CodInputs {
  return { items: [], delivery_price: 0, cod_price: 0, discount: 0, ...overrides } as CodInputs
}

/** Normal and narrow no-break spaces that Intl puts in numbers, as plain spaces. */
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ')

describe('itemsTotal', () => {
  it('is zero for no lines', () => {
    expect(itemsTotal([])).toBe(0)
  })

  it('sums price × quantity', () => {
    expect(itemsTotal([line(999), line(250, 2)])).toBe(1499)
  })

  it('is exact in cents where floating point is not', () => {
    expect(0.1 + 0.2).not.toBe(0.3) // the trap this guards against
    expect(itemsTotal([line(0.1), line(0.2)])).toBe(0.3)
    expect(itemsTotal([line(0.1, 3)])).toBe(0.3)
    expect(itemsTotal([line(19.99, 3)])).toBe(59.97)
    expect(itemsTotal([line(1.15, 1), line(2.3, 1), line(0.55, 1)])).toBe(4)
  })
})

describe('orderTotal', () => {
  it('matches the MALL reference example: 1799 + 29 + 39 = 1867', () => {
    expect(orderTotal(inputs({ items: [line(1799)] as CodInputs['items'], delivery_price: 29, cod_price: 39 }))).toBe(1867)
  })

  it('matches 999 + 2 × 250 + 79 + 35 = 1613', () => {
    expect(
      orderTotal(inputs({ items: [line(999), line(250, 2)] as CodInputs['items'], delivery_price: 79, cod_price: 35 })),
    ).toBe(1613)
  })

  it('subtracts the discount', () => {
    expect(orderTotal(inputs({ items: [line(1799)] as CodInputs['items'], delivery_price: 29, cod_price: 39, discount: 100 }))).toBe(1767)
  })

  it('never goes below zero', () => {
    expect(orderTotal(inputs({ items: [line(100)] as CodInputs['items'], delivery_price: 29, discount: 500 }))).toBe(0)
    expect(Object.is(orderTotal(inputs({ discount: 1 })), 0)).toBe(true)
  })

  it('is exact with EUR decimals', () => {
    // 2 × 12.99 + 2.90 + 1.10 − 0.30 = 29.68
    expect(
      orderTotal(inputs({ items: [line(12.99, 2)] as CodInputs['items'], delivery_price: 2.9, cod_price: 1.1, discount: 0.3 })),
    ).toBe(29.68)
    // 0.1 + 0.2 style: goods 0.10, delivery 0.20
    expect(orderTotal(inputs({ items: [line(0.1)] as CodInputs['items'], delivery_price: 0.2 }))).toBe(0.3)
    // 4.35 + 0.01 − 0.06 = 4.30
    expect(orderTotal(inputs({ items: [line(4.35)] as CodInputs['items'], cod_price: 0.01, discount: 0.06 }))).toBe(4.3)
  })

  it('is what an unpaid cash-on-delivery order carries as cod', () => {
    expect(codForUnpaidOrder(inputs({ items: [line(1799)] as CodInputs['items'], delivery_price: 29, cod_price: 39 }))).toBe(1867)
  })
})

describe('amountToCollect and isCashOnDelivery are decided by cod alone', () => {
  it('collects the cod of a cash-on-delivery order', () => {
    expect(amountToCollect({ cod: 1867 })).toBe(1867)
    expect(isCashOnDelivery({ cod: 1867 })).toBe(true)
  })

  it('treats payment_type B with cod 0 as prepaid', () => {
    const order = { cod: 0, payment_type: 'B' }
    expect(amountToCollect(order)).toBe(0)
    expect(isCashOnDelivery(order)).toBe(false)
  })

  it('treats payment_type B with cod > 0 as cash on delivery (partly paid)', () => {
    const order = { cod: 500, payment_type: 'B' }
    expect(amountToCollect(order)).toBe(500)
    expect(isCashOnDelivery(order)).toBe(true)
  })

  it('treats a cash payment type with cod 0 as prepaid', () => {
    const order = { cod: 0, payment_type: 'D' }
    expect(isCashOnDelivery(order)).toBe(false)
  })

  it('rounds cod to cents', () => {
    expect(amountToCollect({ cod: 0.1 + 0.2 })).toBe(0.3)
    expect(amountToCollect({ cod: 12.345000001 })).toBe(12.35)
    expect(isCashOnDelivery({ cod: 0.01 })).toBe(true)
  })

  it.each([
    ['negative', -50],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['null', null],
    ['undefined', undefined],
    ['a non-numeric string', 'abc'],
    ['an empty string', ''],
    ['a string zero', '0'],
    ['a negative string', '-10'],
  ])('collects nothing for %s cod', (_label, cod) => {
    const order = { cod: cod as unknown as number }
    expect(amountToCollect(order)).toBe(0)
    expect(isCashOnDelivery(order)).toBe(false)
  })

  it('reads a numeric string cod', () => {
    expect(amountToCollect({ cod: '1867.50' as unknown as number })).toBe(1867.5)
    expect(isCashOnDelivery({ cod: '1867' as unknown as number })).toBe(true)
  })
})

describe('formatMoney', () => {
  it('writes whole crowns without decimals, Czech style', () => {
    expect(plain(formatMoney(1867, 'CZK'))).toBe('1 867 Kč')
    expect(plain(formatMoney(0, 'CZK'))).toBe('0 Kč')
  })

  it('writes two decimals when there are any', () => {
    expect(plain(formatMoney(12.5, 'CZK'))).toBe('12,50 Kč')
    expect(plain(formatMoney(0.1 + 0.2, 'CZK'))).toBe('0,30 Kč')
  })

  it('writes euros', () => {
    expect(plain(formatMoney(12.99, 'EUR'))).toBe('12,99 €')
    expect(formatMoney(12.99, 'EUR', 'en-IE')).toBe('€12.99')
    expect(formatMoney(1613, 'EUR', 'en-IE')).toBe('€1,613')
  })
})
