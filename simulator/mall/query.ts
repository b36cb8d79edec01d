import { BASIC_ORDER_KEYS, ORDER_STATUSES, type BasicOrder } from '#core/order.ts'
import { badRequest } from './errors.ts'

/**
 * The list query language of MALL's `GET /v1/orders`: `field=value` or `field=op:v1,v2`, `_sort`,
 * `page`/`page_size`, `test=1` and `filter=basic`. See mall-orders-api.md §1.6–1.7.
 */

export type FilterOperator = 'eq' | 'neq' | 'gt' | 'ge' | 'lt' | 'le' | 'in' | 'nin' | 'bt' | 'nbt'

const OPERATORS: Readonly<Record<string, FilterOperator>> = {
  eq: 'eq',
  neq: 'neq',
  // The official PHP client says `ne`; the docs say `neq`. Both mean the same.
  ne: 'neq',
  gt: 'gt',
  ge: 'ge',
  lt: 'lt',
  le: 'le',
  in: 'in',
  nin: 'nin',
  bt: 'bt',
  nbt: 'nbt',
}

type FieldKind = 'number' | 'boolean' | 'text'
type Value = number | boolean | string | null

const NUMBER_FIELDS = new Set(['id', 'purchase_id', 'customer_id', 'cod'])
const BOOLEAN_FIELDS = new Set(['confirmed', 'test', 'mdp', 'mdp_classic', 'mdp_spectrum'])
const ORDER_FIELDS = new Set<string>(BASIC_ORDER_KEYS)

/** Query parameters that steer the list rather than filter it. */
const RESERVED = new Set(['client_id', 'page', 'page_size', 'filter', '_sort', 'test'])

export const DEFAULT_PAGE_SIZE = 100
export const MAX_PAGE_SIZE = 1000

export interface Filter {
  field: keyof BasicOrder
  op: FilterOperator
  values: Value[]
}

export interface SortKey {
  field: keyof BasicOrder
  descending: boolean
}

export interface ListQuery {
  filters: Filter[]
  sort: SortKey[]
  page: number
  pageSize: number
  includeTest: boolean
  basic: boolean
}

export type RawQuery = Record<string, string | string[] | undefined>

function kindOf(field: string): FieldKind {
  if (NUMBER_FIELDS.has(field)) return 'number'
  if (BOOLEAN_FIELDS.has(field)) return 'boolean'
  return 'text'
}

function single(query: RawQuery, name: string): string | undefined {
  const value = query[name]
  return Array.isArray(value) ? value.at(-1) : value
}

function parseValue(field: string, raw: string): Value {
  if (raw === '$null') return null
  switch (kindOf(field)) {
    case 'number': {
      const number = Number(raw)
      if (raw.trim() === '' || !Number.isFinite(number)) {
        throw badRequest(`Filter ${field}: “${raw}” is not a number.`, { field, value: raw }, 'FILTER_INVALID')
      }
      return number
    }
    case 'boolean':
      if (raw === 'true' || raw === '1') return true
      if (raw === 'false' || raw === '0') return false
      throw badRequest(`Filter ${field}: “${raw}” is not true, false, 1 or 0.`, { field, value: raw }, 'FILTER_INVALID')
    default:
      return raw
  }
}

export function parseFilter(field: string, raw: string): Filter {
  if (!ORDER_FIELDS.has(field)) {
    throw badRequest(`Orders cannot be filtered by “${field}”: it is not a field of the order list.`, { field }, 'FILTER_INVALID')
  }
  const colon = raw.indexOf(':')
  const prefix = colon > 0 ? raw.slice(0, colon) : ''
  const op = OPERATORS[prefix]
  // A lower-case word before the colon that is no operator is a typo, not part of the value
  // (a web address `https://…` aside).
  if (!op && /^[a-z]{2,5}$/.test(prefix) && !raw.slice(colon + 1).startsWith('//')) {
    throw badRequest(
      `Filter ${field}=${raw}: “${prefix}” is not an operator; use eq, neq, gt, ge, lt, le, in, nin, bt or nbt.`,
      { field, value: raw },
      'FILTER_INVALID',
    )
  }
  // `2024-03-11 09:14:02` has colons too: only a known operator before the first one counts.
  const [operator, rest] = op ? [op, raw.slice(colon + 1)] : (['eq', raw] as const)
  const multi = operator === 'in' || operator === 'nin' || operator === 'bt' || operator === 'nbt'
  const parts = multi ? rest.split(',') : [rest]
  if ((operator === 'bt' || operator === 'nbt') && parts.length !== 2) {
    throw badRequest(`Filter ${field}=${raw}: ${operator} takes exactly two values, like ${operator}:1,10.`, { field, value: raw }, 'FILTER_INVALID')
  }
  const values = parts.map((part) => parseValue(field, part))
  if (values.includes(null) && operator !== 'eq' && operator !== 'neq') {
    throw badRequest(`Filter ${field}=${raw}: $null works only with eq and neq.`, { field, value: raw }, 'FILTER_INVALID')
  }
  return { field: field as keyof BasicOrder, op: operator, values }
}

function parseSort(raw: string): SortKey[] {
  return raw
    .split(',')
    .filter((part) => part !== '')
    .map((part) => {
      const [field = '', direction = 'asc', ...extra] = part.split(':')
      if (!ORDER_FIELDS.has(field)) {
        throw badRequest(`Orders cannot be sorted by “${field}”: it is not a field of the order list.`, { field }, 'SORT_INVALID')
      }
      if ((direction !== 'asc' && direction !== 'desc') || extra.length > 0) {
        throw badRequest(`Sort ${part}: the direction is asc or desc.`, { field }, 'SORT_INVALID')
      }
      return { field: field as keyof BasicOrder, descending: direction === 'desc' }
    })
}

function parsePositiveInt(name: string, raw: string | undefined, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  if (raw === undefined || raw === '') return fallback
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > max) {
    throw badRequest(`${name} must be a whole number from 1 to ${max === Number.MAX_SAFE_INTEGER ? 'up' : max}, not “${raw}”.`, { [name]: raw })
  }
  return Number(raw)
}

/**
 * Reads a list query. With `filtersAllowed` false (the `/unconfirmed` and `/{status}` lists)
 * field filters are refused rather than silently ignored.
 */
export function parseListQuery(query: RawQuery, filtersAllowed = true): ListQuery {
  const filters: Filter[] = []
  let includeTest = false
  for (const [name, rawValue] of Object.entries(query)) {
    if (rawValue === undefined) continue
    const values = Array.isArray(rawValue) ? rawValue : [rawValue]
    if (name === 'test') {
      for (const value of values) {
        if (value === '1' || value === 'true') includeTest = true
        else if (value === '0' || value === 'false' || value === '') includeTest = false
        else {
          filters.push(parseFilter('test', value))
          includeTest = true
        }
      }
      continue
    }
    if (RESERVED.has(name)) continue
    if (!filtersAllowed) {
      throw badRequest(`This list takes no filter “${name}”: use GET /v1/orders to filter.`, { field: name }, 'FILTER_INVALID')
    }
    for (const value of values) filters.push(parseFilter(name, value))
  }
  const sortRaw = single(query, '_sort')
  return {
    filters,
    sort: sortRaw ? parseSort(sortRaw) : [],
    page: parsePositiveInt('page', single(query, 'page'), 1),
    pageSize: parsePositiveInt('page_size', single(query, 'page_size'), DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE),
    includeTest,
    basic: single(query, 'filter') === 'basic',
  }
}

function compare(a: Value, b: Value): number {
  if (a === b) return 0
  if (a === null) return -1
  if (b === null) return 1
  if (typeof a === 'number' && typeof b === 'number') return a - b
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b)
  return String(a) < String(b) ? -1 : 1
}

function matches(order: BasicOrder, filter: Filter): boolean {
  const actual = order[filter.field] as Value
  const [first, second] = filter.values as [Value, Value]
  switch (filter.op) {
    case 'eq':
      return compare(actual, first) === 0
    case 'neq':
      return compare(actual, first) !== 0
    case 'in':
      return filter.values.some((v) => compare(actual, v) === 0)
    case 'nin':
      return !filter.values.some((v) => compare(actual, v) === 0)
  }
  if (actual === null) return false
  switch (filter.op) {
    case 'gt':
      return compare(actual, first) > 0
    case 'ge':
      return compare(actual, first) >= 0
    case 'lt':
      return compare(actual, first) < 0
    case 'le':
      return compare(actual, first) <= 0
    case 'bt':
      return compare(actual, first) >= 0 && compare(actual, second) <= 0
    case 'nbt':
      return compare(actual, first) < 0 || compare(actual, second) > 0
  }
}

/** Blocked orders stay out of lists unless the request asks for status blocked by name. */
function asksForBlocked(filters: readonly Filter[]): boolean {
  return filters.some((f) => f.field === 'status' && (f.op === 'eq' || f.op === 'in') && f.values.includes('blocked'))
}

export interface Page<T> {
  data: T[]
  paging: { total: number; pages: number; size: number; page: number }
}

/** Filters, sorts (by id when nothing else is asked) and pages the orders. */
export function runListQuery<T extends BasicOrder>(orders: Iterable<T>, query: ListQuery): Page<T> {
  const withBlocked = asksForBlocked(query.filters)
  const selected: T[] = []
  for (const order of orders) {
    if (order.status === 'blocked' && !withBlocked) continue
    if (order.test && !query.includeTest) continue
    if (query.filters.every((f) => matches(order, f))) selected.push(order)
  }
  const sort = [...query.sort, { field: 'id' as const, descending: false }]
  selected.sort((a, b) => {
    for (const key of sort) {
      const order = compare(a[key.field] as Value, b[key.field] as Value)
      if (order !== 0) return key.descending ? -order : order
    }
    return 0
  })
  return paginate(selected, query.page, query.pageSize)
}

export function paginate<T>(items: readonly T[], page: number, pageSize: number): Page<T> {
  const data = items.slice((page - 1) * pageSize, page * pageSize)
  return {
    data,
    paging: { total: items.length, pages: Math.max(1, Math.ceil(items.length / pageSize)), size: data.length, page },
  }
}

export const LISTABLE_STATUSES = ORDER_STATUSES
