import readXlsxFile from 'read-excel-file/node'
import { afterAll, describe, expect, it } from 'vitest'
import { DEFAULT_FILTER, deskEntries, deskView, filterFromQuery, filterToQuery, sellerFigures, type DeskFilter } from '../../../src/services/desk/desk-orders.ts'
import { EXPORT_COLUMNS, exportRows, ordersCsv, ordersXlsx } from '../../../src/services/desk/exports.ts'
import { showLanguage, t } from '../../../src/i18n/index.ts'
import { stationOrder, T0 } from './fixtures.ts'

/** The desk finds, filters, sorts and counts the orders the device holds, as a lead types. */

const base = stationOrder({ blocked: null })
const person = (name: string, phone: string) => ({ ...base.address, name, email: `${name.toLowerCase().replace(' ', '.')}@example.com`, phone })
const orders = [
  stationOrder({ blocked: null, id: 1, address: { ...base.address, name: 'Jana Nováková', email: 'jana@example.cz', phone: '+420 777 123 456' }, open: '2024-07-15 09:00:00' }),
  stationOrder({
    blocked: null,
    id: 2,
    status: 'shipped',
    address: { ...base.address, name: 'Petr Dvořák', email: 'petr.dvorak@example.cz', phone: '+420602000111', country: 'SK' },
    source: 'mallSk',
    tracking_number: 'DPD555CZ',
    cod: 1290,
    open: '2024-07-10 09:00:00',
    shipping: '2024-07-11 10:30:00',
    shipped: '2024-07-11 12:00:00',
    packed_by: 'Demo picker',
    delivery_method: 'dpdCz',
    items: [{ ...base.items[0]!, id: 'SKU-LAMP', title: 'Stolní lampa' }],
  }),
  // Open for longer than 7 days: a missing state.
  stationOrder({ blocked: null, address: person('Eva Malá', '+421900111222'), id: 3, open: '2024-07-01 09:00:00', mdp: true, delivery_method: 'mallDeliveryPickup' }),
  stationOrder({ blocked: null, address: person('Test Zkušební', '+420111111111'), id: 4, test: true, open: '2024-07-15 08:00:00' }),
  stationOrder({ blocked: null, address: person('Karel Novák', '+420222333444'), id: 5, status: 'cancelled', open: '2024-05-01 09:00:00', cancelled: '2024-05-02 09:00:00' }),
]
const entries = deskEntries(orders, T0)
const ids = (filter: Partial<DeskFilter>) => deskView(entries, { ...DEFAULT_FILTER, ...filter }, T0).entries.map((e) => e.order.id)

describe('the desk’s search', () => {
  it('finds an order by e-mail, by phone in any spacing, by name without diacritics, SKU, title and tracking', () => {
    expect(ids({ q: 'petr.dvorak@' })).toEqual([2])
    expect(ids({ q: '777123456' })).toEqual([1])
    expect(ids({ q: '+420 602 000' })).toEqual([2])
    expect(ids({ q: 'dvorak' })).toEqual([2])
    expect(ids({ q: 'sku-lamp' })).toEqual([2])
    expect(ids({ q: 'stolni' })).toEqual([2])
    expect(ids({ q: 'dpd555' })).toEqual([2])
    expect(ids({ q: '3' }).includes(3)).toBe(true)
  })
})

describe('the desk’s filters', () => {
  it('leaves test orders out unless asked', () => {
    expect(ids({})).not.toContain(4)
    expect(ids({ test: 'only' })).toEqual([4])
    expect(ids({ test: 'include' })).toContain(4)
  })

  it('by status (final ones too), payment, MALL Delivery, country, marketplace and period', () => {
    expect(ids({ status: ['cancelled'] })).toEqual([5])
    expect(ids({ payment: 'cod' })).toEqual([2])
    expect(ids({ delivery: 'mdp' })).toEqual([3])
    expect(ids({ country: 'SK' })).toEqual([2])
    expect(ids({ marketplace: 'mallSk' })).toEqual([2])
    expect(ids({ carrier: 'DPD' })).toEqual([2])
    expect(ids({ period: 'today' })).toEqual([1])
    expect(ids({ period: '7d' }).sort()).toEqual([1, 2])
    expect(ids({ period: 'custom', from: '2024-07-01', to: '2024-07-10' }).sort()).toEqual([2, 3])
  })

  it('the missing-states tab holds the orders waiting over 7 days, each with its days', () => {
    const view = deskView(entries, { ...DEFAULT_FILTER, tab: 'missing' }, T0)
    expect(view.entries.map((e) => e.order.id)).toEqual([3])
    expect(view.missing).toBe(1)
    expect(view.entries[0]?.days).toBe(14)
  })

  it('counts per status under the other filters, test orders left out', () => {
    const view = deskView(entries, { ...DEFAULT_FILTER, status: ['open'] }, T0)
    expect(view.counts).toMatchObject({ open: 2, shipped: 1, cancelled: 1 })
    expect(view.entries.map((e) => e.order.id).sort()).toEqual([1, 3])
  })

  it('sorts by any column, either way', () => {
    expect(ids({ sort: 'id', desc: false })).toEqual([1, 2, 3, 5])
    expect(ids({ sort: 'customer', desc: false })).toEqual([3, 1, 5, 2])
    expect(ids({ sort: 'date' })).toEqual([1, 2, 3, 5])
    expect(ids({ sort: 'days', desc: true })[0]).toBe(5)
  })
})

describe('today at a glance, for the seller', () => {
  it('counts the orders shipped today, the missing states and the cancel rate over 30 days, test orders left out', () => {
    const more = deskEntries(
      [
        stationOrder({ id: 20, blocked: null, status: 'shipped', open: '2024-07-14 09:00:00', shipped: '2024-07-15 09:30:00' }),
        stationOrder({ id: 21, blocked: null, status: 'cancelled', open: '2024-07-01 09:00:00', cancelled: '2024-07-02 09:00:00' }),
        stationOrder({ id: 22, blocked: null, test: true, status: 'cancelled', open: '2024-07-14 09:00:00', cancelled: '2024-07-14 10:00:00' }),
      ],
      T0,
    )
    // Order 5 was placed in May, before the 30 days; orders 1, 2, 3, 20 and 21 in them.
    expect(sellerFigures([...entries, ...more], T0)).toEqual({ shippedToday: 1, missingStates: 1, placed30Days: 5, cancelled30Days: 1 })
  })
})

describe('a filter in the page’s address', () => {
  it('goes there and back, and keeps only what differs from the default', () => {
    const filter: DeskFilter = { ...DEFAULT_FILTER, q: 'jana', status: ['open', 'shipped'], period: 'custom', from: '2024-07-01', to: '2024-07-15', payment: 'cod', flagged: true, test: 'include', sort: 'total', desc: false }
    const query = filterToQuery(filter)
    expect(query).toEqual({ q: 'jana', status: 'open,shipped', period: 'custom', from: '2024-07-01', to: '2024-07-15', payment: 'cod', flagged: '1', test: 'include', sort: 'total', order: 'asc' })
    expect(filterFromQuery(query)).toEqual(filter)
    expect(filterToQuery(DEFAULT_FILTER)).toEqual({})
  })

  it('ignores what it does not know', () => {
    expect(filterFromQuery({ status: 'open,nonsense', period: 'year', sort: 'colour', from: '1.7.2024' })).toEqual({ ...DEFAULT_FILTER, status: ['open'] })
  })
})

describe('the CSV export', () => {
  it('is semicolon-separated UTF-8 with a BOM, one row per order, with the xlsx’s columns', async () => {
    const csv = await ordersCsv(deskView(entries, { ...DEFAULT_FILTER, sort: 'id', desc: false }, T0).entries)
    const bytes = new Uint8Array(await csv.arrayBuffer())
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const lines = new TextDecoder().decode(bytes).trim().split('\r\n')
    expect(lines[0]).toBe(EXPORT_COLUMNS.map((c) => c.header).join(';'))
    expect(lines).toHaveLength(5)
    expect(lines[2]).toContain(';2;MALL.sk;SK;')
    expect(lines[2]).toContain(';Petr Dvořák;petr.dvorak@example.cz;')
    expect(lines[2]).toContain(';DPD555CZ;Demo picker;2024-07-11 10:30:00;2024-07-11 12:00:00;')
    expect(exportRows([])).toHaveLength(1)
  })

  it('keeps its header row in English whatever the screen’s language, for the scripts that read it', async () => {
    await showLanguage('cs')
    const csv = await ordersCsv(deskView(entries, { ...DEFAULT_FILTER, sort: 'id', desc: false }, T0).entries)
    expect((await csv.text()).replace(/^\uFEFF/, '').split('\r\n')[0]).toContain('Order number;Marketplace;')
  })
})

describe('the xlsx export', () => {
  afterAll(() => showLanguage('en'))

  it('has its headers in the screen’s language, and says who packed each order and when', async () => {
    await showLanguage('cs')
    const blob = await ordersXlsx(deskView(entries, { ...DEFAULT_FILTER, sort: 'id', desc: false }, T0).entries, (key) => t(key))
    const [sheet] = await readXlsxFile(Buffer.from(await blob.arrayBuffer()))
    const [header, , petr] = sheet?.data ?? []
    expect(header?.slice(0, 3)).toEqual(['Datum objednávky', 'Číslo objednávky', 'Tržiště'])
    const column = (name: string) => header?.indexOf(name) ?? -1
    expect(petr?.[column('Číslo objednávky')]).toBe(2)
    expect(petr?.[column('Zabalil(a)')]).toBe('Demo picker')
    expect(petr?.[column('Zabaleno')]).toBe('2024-07-11 10:30:00')

    await showLanguage('pl')
    const polish = await ordersXlsx([], (key) => t(key))
    const [polishSheet] = await readXlsxFile(Buffer.from(await polish.arrayBuffer()))
    expect(polishSheet?.data[0]).toContain('Spakował(a)')
  })
})
