import { formatMallDate } from '#core/datetime.ts'
import { amountToCollect, isCashOnDelivery, orderTotal } from '#core/cod.ts'
import { deliveryMethodOf, type DeliveryMethod } from '#core/delivery-methods.ts'
import { ORDER_STATUSES, type MallDateTime, type OrderStatus } from '#core/order.ts'
import type { StationOrder } from '#core/station-api.ts'
import { daysInStatus, isMissingState } from '@/services/orders/missing-state'

/**
 * The order desk's rules, free of Vue and Dexie: what an order is searched by, the filters (and
 * their form in the page's address, so a filter can be bookmarked), sorting and the counts. Every
 * keystroke filters 10,000 orders, so each order's search text and derived facts are made once
 * ({@link deskEntries}) and the filter only compares.
 */

export const PERIODS = ['all', 'today', '7d', '30d', 'custom'] as const
export type Period = (typeof PERIODS)[number]
export const SORT_COLUMNS = ['date', 'id', 'customer', 'status', 'total', 'cod', 'delivery', 'country', 'days'] as const
export type SortColumn = (typeof SORT_COLUMNS)[number]
export type DeskTab = 'all' | 'missing'

export interface DeskFilter {
  /** Words to find: order number, customer, e-mail, phone, SKU, product title, tracking number. */
  q: string
  tab: DeskTab
  /** The statuses to show; none chosen shows every one. */
  status: OrderStatus[]
  period: Period
  /** The custom period's first and last day, `YYYY-MM-DD`. */
  from: string | null
  to: string | null
  /** A delivery method's code (`dpdCz`). */
  method: string | null
  /** A carrier's name (`DPD`, `MALL Delivery`). */
  carrier: string | null
  payment: 'any' | 'cod' | 'prepaid'
  delivery: 'any' | 'mdp' | 'own'
  flagged: boolean
  missing: boolean
  /** Test orders are left out unless asked for. */
  test: 'hide' | 'include' | 'only'
  /** The marketplace the order came from (`source`: `mallCz`, `mallSk`). */
  marketplace: string | null
  /** The delivery country (ISO code). */
  country: string | null
  sort: SortColumn
  desc: boolean
}

export const DEFAULT_FILTER: Readonly<DeskFilter> = {
  q: '',
  tab: 'all',
  status: [],
  period: 'all',
  from: null,
  to: null,
  method: null,
  carrier: null,
  payment: 'any',
  delivery: 'any',
  flagged: false,
  missing: false,
  test: 'hide',
  marketplace: null,
  country: null,
  sort: 'date',
  desc: true,
}

/** An order as the desk holds it: the order and what is compared, made once. */
export interface DeskEntry {
  order: StationOrder
  /** Small letters without diacritics: everything the search looks in. */
  text: string
  /** When the order was placed, as the marketplace writes it. */
  date: MallDateTime
  method: DeliveryMethod
  cod: boolean
  total: number
  missing: boolean
  /** Whole days in the current status. */
  days: number
}

/** Small letters, no diacritics: "Dvořák" is found by "dvorak". */
export function plainText(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
}

/** When the order was placed: the first status time the marketplace gives. */
export function orderDate(order: StationOrder): MallDateTime {
  for (const status of ORDER_STATUSES) {
    const at = order[status]
    if (at) return at
  }
  return ''
}

export function deskEntry(order: StationOrder, now: number): DeskEntry {
  const phone = order.address.phone ?? ''
  const text = plainText(
    [
      order.id,
      order.external_id ?? '',
      order.purchase_id,
      order.address.name,
      order.address.company ?? '',
      order.customer,
      order.address.email,
      phone,
      phone.replace(/[\s()+-]/g, ''),
      order.tracking_number ?? '',
      ...order.items.flatMap((item) => [item.id, item.title]),
    ].join('\u0001'),
  )
  return {
    order,
    text,
    date: orderDate(order),
    method: deliveryMethodOf(order),
    cod: isCashOnDelivery(order),
    total: orderTotal(order),
    missing: isMissingState(order, now),
    days: daysInStatus(order, now),
  }
}

export function deskEntries(orders: readonly StationOrder[], now: number): DeskEntry[] {
  return orders.map((order) => deskEntry(order, now))
}

/** Gives the page its turn (a keystroke, a navigation) between two slices of work. */
export const nextTask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0))

/**
 * {@link deskEntries} of many orders in slices, with the page's turn between them: 10,000 orders
 * made in one go would hold the page for a tenth of a second.
 */
export async function deskEntriesInSlices(orders: readonly StationOrder[], now: number, slice = 1000, pause: () => Promise<void> = nextTask): Promise<DeskEntry[]> {
  const entries: DeskEntry[] = []
  for (let start = 0; start < orders.length; start += slice) {
    if (start > 0) await pause()
    for (let i = start; i < Math.min(start + slice, orders.length); i++) entries.push(deskEntry(orders[i] as StationOrder, now))
  }
  return entries
}

/** The first day of the filter's period (`YYYY-MM-DD`), and its last, or null for no bound. */
export function periodBounds(filter: Pick<DeskFilter, 'period' | 'from' | 'to'>, now: number): { from: string | null; to: string | null } {
  const DAY = 24 * 60 * 60 * 1000
  switch (filter.period) {
    case 'today':
      return { from: formatMallDate(now), to: null }
    case '7d':
      return { from: formatMallDate(now - 6 * DAY), to: null }
    case '30d':
      return { from: formatMallDate(now - 29 * DAY), to: null }
    case 'custom':
      return { from: filter.from, to: filter.to }
    default:
      return { from: null, to: null }
  }
}

type Check = (entry: DeskEntry) => boolean

/** The checks of every filter but the status and the tab (the counts per status use these). */
function checks(filter: DeskFilter, now: number): Check[] {
  const list: Check[] = []
  const words = plainText(filter.q).split(/\s+/).filter((word) => word !== '')
  if (words.length > 0) list.push((e) => words.every((word) => e.text.includes(word)))
  const { from, to } = periodBounds(filter, now)
  if (from) list.push((e) => e.date.slice(0, 10) >= from)
  if (to) list.push((e) => e.date !== '' && e.date.slice(0, 10) <= to)
  if (filter.method) list.push((e) => e.order.delivery_method === filter.method)
  if (filter.carrier) list.push((e) => e.method.carrier === filter.carrier)
  if (filter.payment !== 'any') list.push((e) => e.cod === (filter.payment === 'cod'))
  if (filter.delivery !== 'any') list.push((e) => e.order.mdp === (filter.delivery === 'mdp'))
  if (filter.flagged) list.push((e) => e.order.flag !== null)
  if (filter.missing) list.push((e) => e.missing)
  if (filter.test === 'hide') list.push((e) => !e.order.test)
  if (filter.test === 'only') list.push((e) => e.order.test)
  if (filter.marketplace) list.push((e) => e.order.source === filter.marketplace)
  if (filter.country) list.push((e) => e.order.address.country === filter.country)
  return list
}

const byColumn: Record<SortColumn, (a: DeskEntry, b: DeskEntry) => number> = {
  date: (a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.order.id - b.order.id),
  id: (a, b) => a.order.id - b.order.id,
  customer: (a, b) => a.order.address.name.localeCompare(b.order.address.name),
  status: (a, b) => ORDER_STATUSES.indexOf(a.order.status) - ORDER_STATUSES.indexOf(b.order.status),
  total: (a, b) => a.total - b.total,
  cod: (a, b) => amountToCollect(a.order) - amountToCollect(b.order),
  delivery: (a, b) => a.method.name.localeCompare(b.method.name),
  country: (a, b) => a.order.address.country.localeCompare(b.order.address.country),
  days: (a, b) => a.days - b.days,
}

export interface DeskView {
  /** The orders the filter matches, sorted. */
  entries: DeskEntry[]
  /** Orders per status under every filter but the status (test orders only when asked for). */
  counts: Record<OrderStatus, number>
  /** Missing states, test orders left out. */
  missing: number
}

/** What the desk shows for a filter: the matching orders in order, and the counts beside them. */
export function deskView(all: readonly DeskEntry[], filter: DeskFilter, now: number): DeskView {
  const list = checks(filter, now)
  const statuses = new Set(filter.status)
  const counts = Object.fromEntries(ORDER_STATUSES.map((status) => [status, 0])) as Record<OrderStatus, number>
  const entries: DeskEntry[] = []
  let missing = 0
  for (const entry of all) {
    if (entry.missing && !entry.order.test) missing++
    if (!list.every((check) => check(entry))) continue
    counts[entry.order.status]++
    if (statuses.size > 0 && !statuses.has(entry.order.status)) continue
    if (filter.tab === 'missing' && !entry.missing) continue
    entries.push(entry)
  }
  const compare = byColumn[filter.sort]
  entries.sort(filter.desc ? (a, b) => compare(b, a) : compare)
  return { entries, counts, missing }
}

type Query = Record<string, string | null | (string | null)[] | undefined>

function one(value: Query[string]): string | null {
  const first = Array.isArray(value) ? value[0] : value
  return typeof first === 'string' && first !== '' ? first : null
}

const DAY_SHAPE = /^\d{4}-\d{2}-\d{2}$/

/** The filter a page address holds (`/desk?status=open,shipping&period=7d`); anything unknown is left at its default. */
export function filterFromQuery(query: Query): DeskFilter {
  const pick = <T extends string>(value: string | null, allowed: readonly T[], fallback: T): T => (value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : fallback)
  const statuses = (one(query.status) ?? '').split(',').filter((s): s is OrderStatus => (ORDER_STATUSES as readonly string[]).includes(s))
  const from = one(query.from)
  const to = one(query.to)
  const order = one(query.order)
  return {
    q: one(query.q) ?? '',
    tab: pick(one(query.tab), ['all', 'missing'], 'all'),
    status: statuses,
    period: pick(one(query.period), PERIODS, 'all'),
    from: from && DAY_SHAPE.test(from) ? from : null,
    to: to && DAY_SHAPE.test(to) ? to : null,
    method: one(query.method),
    carrier: one(query.carrier),
    payment: pick(one(query.payment), ['any', 'cod', 'prepaid'], 'any'),
    delivery: pick(one(query.delivery), ['any', 'mdp', 'own'], 'any'),
    flagged: one(query.flagged) === '1',
    missing: one(query.missing) === '1',
    test: pick(one(query.test), ['hide', 'include', 'only'], 'hide'),
    marketplace: one(query.marketplace),
    country: one(query.country),
    sort: pick(one(query.sort), SORT_COLUMNS, 'date'),
    desc: order === null ? DEFAULT_FILTER.desc : order === 'desc',
  }
}

/** The page address's query for a filter: only what differs from the default, so addresses stay short. */
export function filterToQuery(filter: DeskFilter): Record<string, string> {
  const query: Record<string, string> = {}
  if (filter.q.trim() !== '') query.q = filter.q
  if (filter.tab !== 'all') query.tab = filter.tab
  if (filter.status.length > 0) query.status = filter.status.join(',')
  if (filter.period !== 'all') query.period = filter.period
  if (filter.period === 'custom' && filter.from) query.from = filter.from
  if (filter.period === 'custom' && filter.to) query.to = filter.to
  if (filter.method) query.method = filter.method
  if (filter.carrier) query.carrier = filter.carrier
  if (filter.payment !== 'any') query.payment = filter.payment
  if (filter.delivery !== 'any') query.delivery = filter.delivery
  if (filter.flagged) query.flagged = '1'
  if (filter.missing) query.missing = '1'
  if (filter.test !== 'hide') query.test = filter.test
  if (filter.marketplace) query.marketplace = filter.marketplace
  if (filter.country) query.country = filter.country
  if (filter.sort !== 'date') query.sort = filter.sort
  if (filter.desc !== DEFAULT_FILTER.desc) query.order = filter.desc ? 'desc' : 'asc'
  return query
}

/** The values the desk's selects offer, from the orders it holds. */
export function filterOptions(all: readonly DeskEntry[]): { methods: DeliveryMethod[]; carriers: string[]; marketplaces: string[]; countries: string[] } {
  const methods = new Map<string, DeliveryMethod>()
  const carriers = new Set<string>()
  const marketplaces = new Set<string>()
  const countries = new Set<string>()
  for (const entry of all) {
    methods.set(entry.order.delivery_method, entry.method)
    if (entry.method.carrier) carriers.add(entry.method.carrier)
    marketplaces.add(entry.order.source)
    countries.add(entry.order.address.country)
  }
  return {
    methods: [...methods.values()].sort((a, b) => a.name.localeCompare(b.name)),
    carriers: [...carriers].sort(),
    marketplaces: [...marketplaces].sort(),
    countries: [...countries].sort(),
  }
}

export interface SellerFigures {
  /** Orders that became shipped today (the marketplace's day). */
  shippedToday: number
  missingStates: number
  /** Orders placed in the last 30 days, and how many of them are cancelled (MALL counts the cancel rate in its SLA). */
  placed30Days: number
  cancelled30Days: number
}

/** "Today at a glance" for the seller, from the orders the desk holds; test orders are left out. */
export function sellerFigures(all: readonly DeskEntry[], now: number): SellerFigures {
  const today = formatMallDate(now)
  const from = formatMallDate(now - 29 * 24 * 60 * 60 * 1000)
  const figures: SellerFigures = { shippedToday: 0, missingStates: 0, placed30Days: 0, cancelled30Days: 0 }
  for (const entry of all) {
    if (entry.order.test) continue
    if (entry.order.shipped?.startsWith(today)) figures.shippedToday++
    if (entry.missing) figures.missingStates++
    if (entry.date !== '' && entry.date.slice(0, 10) >= from) {
      figures.placed30Days++
      if (entry.order.status === 'cancelled') figures.cancelled30Days++
    }
  }
  return figures
}
