import { describe, expect, it } from 'vitest'
import type { OrderItem } from '#core/order.ts'
import type { CatalogueProduct } from '#core/product.ts'
import { buildPickList, compareBins, toteLabel } from '../../../src/services/pick/pick-list.ts'

/** Batch picking: one walk through the warehouse for several orders, then each order packed from its tote. */

function item(id: string, quantity: number, title = `Item ${id}`): OrderItem {
  return { id, article_id: 1, title, quantity, price: 100, vat: 21, commission: null, serial_numbers: [] }
}

type Product = Pick<CatalogueProduct, 'sku' | 'bin_location' | 'photo_url' | 'title'>

function catalogue(...products: Product[]): Map<string, Product> {
  return new Map(products.map((p) => [p.sku, p]))
}

const products = catalogue(
  { sku: 'KETTLE-17', title: 'Electric kettle 1.7 l', bin_location: 'A-10-1', photo_url: '/photos/kettle.jpg' },
  { sku: 'MUG-350', title: 'Ceramic mug 350 ml', bin_location: 'A-02-3', photo_url: '/photos/mug.jpg' },
  { sku: 'SPOON-4', title: 'Tea spoon', bin_location: 'B-01-1', photo_url: null },
  { sku: 'TRAY-1', title: 'Serving tray', bin_location: null, photo_url: null },
)

describe('toteLabel', () => {
  it.each([
    [0, 'A'],
    [1, 'B'],
    [25, 'Z'],
    [26, 'AA'],
    [27, 'AB'],
    [51, 'AZ'],
    [52, 'BA'],
    [701, 'ZZ'],
    [702, 'AAA'],
  ])('labels tote %i as %s', (index, label) => {
    expect(toteLabel(index)).toBe(label)
  })

  it('never gives two totes the same label', () => {
    const labels = Array.from({ length: 1000 }, (_, i) => toteLabel(i))
    expect(new Set(labels).size).toBe(1000)
  })
})

describe('compareBins', () => {
  it('compares the numbers in bin names as numbers: A-02 before A-10', () => {
    const bins = ['A-10-1', 'B-01-1', 'A-02-1', 'A-9-2', 'A-02-10', 'A-02-2']
    expect([...bins].sort(compareBins)).toEqual(['A-02-1', 'A-02-2', 'A-02-10', 'A-9-2', 'A-10-1', 'B-01-1'])
  })

  it('puts products without a bin last', () => {
    expect([null, 'Z-99', null, 'A-01'].sort(compareBins)).toEqual(['A-01', 'Z-99', null, null])
    expect(compareBins(null, 'A-01')).toBeGreaterThan(0)
    expect(compareBins('A-01', null)).toBeLessThan(0)
    expect(compareBins(null, null)).toBe(0)
  })

  it('does not care about letter case', () => {
    expect(compareBins('a-02-1', 'A-02-1')).toBe(0)
  })
})

describe('buildPickList', () => {
  it('aggregates the orders’ lines by SKU, in bin order, with the total and each order’s share', () => {
    const list = buildPickList(
      [
        { id: 101, items: [item('KETTLE-17', 1), item('MUG-350', 2)] },
        { id: 102, items: [item('MUG-350', 4), item('TRAY-1', 1), item('SPOON-4', 6)] },
        { id: 103, items: [item('KETTLE-17', 2)] },
      ],
      products,
    )
    expect(list.totes).toEqual([
      { order_id: 101, tote: 'A' },
      { order_id: 102, tote: 'B' },
      { order_id: 103, tote: 'C' },
    ])
    expect(list.entries).toEqual([
      {
        sku: 'MUG-350',
        title: 'Ceramic mug 350 ml',
        bin_location: 'A-02-3',
        photo_url: '/photos/mug.jpg',
        total: 6,
        split: [
          { order_id: 101, tote: 'A', quantity: 2 },
          { order_id: 102, tote: 'B', quantity: 4 },
        ],
      },
      {
        sku: 'KETTLE-17',
        title: 'Electric kettle 1.7 l',
        bin_location: 'A-10-1',
        photo_url: '/photos/kettle.jpg',
        total: 3,
        split: [
          { order_id: 101, tote: 'A', quantity: 1 },
          { order_id: 103, tote: 'C', quantity: 2 },
        ],
      },
      { sku: 'SPOON-4', title: 'Tea spoon', bin_location: 'B-01-1', photo_url: null, total: 6, split: [{ order_id: 102, tote: 'B', quantity: 6 }] },
      // No bin known: picked last.
      { sku: 'TRAY-1', title: 'Serving tray', bin_location: null, photo_url: null, total: 1, split: [{ order_id: 102, tote: 'B', quantity: 1 }] },
    ])
  })

  it('adds up a SKU that appears twice on one order into one share of that order', () => {
    const list = buildPickList([{ id: 7, items: [item('MUG-350', 1), item('MUG-350', 3)] }], products)
    expect(list.entries).toEqual([expect.objectContaining({ sku: 'MUG-350', total: 4, split: [{ order_id: 7, tote: 'A', quantity: 4 }] })])
  })

  it('keeps a product missing from the catalogue, with the order’s title and no bin, at the end', () => {
    const list = buildPickList([{ id: 9, items: [item('NEW-1', 2, 'Brand-new lamp'), item('SPOON-4', 1)] }], products)
    expect(list.entries.map((e) => e.sku)).toEqual(['SPOON-4', 'NEW-1'])
    expect(list.entries[1]).toEqual({ sku: 'NEW-1', title: 'Brand-new lamp', bin_location: null, photo_url: null, total: 2, split: [{ order_id: 9, tote: 'A', quantity: 2 }] })
  })

  it('orders SKUs in the same bin, or with no bin, by SKU so the list is stable', () => {
    const shared = catalogue(
      { sku: 'B', title: 'B', bin_location: 'C-01-1', photo_url: null },
      { sku: 'A', title: 'A', bin_location: 'C-01-1', photo_url: null },
    )
    const list = buildPickList([{ id: 1, items: [item('Z', 1), item('B', 1), item('Y', 1), item('A', 1)] }], shared)
    expect(list.entries.map((e) => e.sku)).toEqual(['A', 'B', 'Y', 'Z'])
  })

  it('gives the 27th order of a big trolley tote AA', () => {
    const orders = Array.from({ length: 28 }, (_, i) => ({ id: 1000 + i, items: [item('KETTLE-17', 1)] }))
    const list = buildPickList(orders, products)
    expect(list.totes.map((t) => t.tote).slice(24)).toEqual(['Y', 'Z', 'AA', 'AB'])
    const [kettle] = list.entries
    expect(kettle?.total).toBe(28)
    expect(kettle?.split.at(26)).toEqual({ order_id: 1026, tote: 'AA', quantity: 1 })
  })

  it('is empty for no orders', () => {
    expect(buildPickList([], products)).toEqual({ totes: [], entries: [] })
  })
})
