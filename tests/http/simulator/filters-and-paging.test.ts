import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BasicOrder } from '#core/order.ts'
import { startSimulator, type RunningSimulator } from '../../support/simulator.ts'
import { expectError, expectOk, listEverything } from './helpers.ts'

let sim: RunningSimulator
let everything: BasicOrder[]
/** What `GET /v1/orders` shows without asking for blocked or test orders, by id. */
let visible: BasicOrder[]

beforeAll(async () => {
  sim = await startSimulator()
  everything = await listEverything(sim)
  visible = everything.filter((o) => o.status !== 'blocked' && !o.test).sort((a, b) => a.id - b.id)
})
afterAll(() => sim?.close())

type Query = Record<string, string | number | readonly string[]>

async function list(query: Query): Promise<BasicOrder[]> {
  return expectOk(await sim.call('GET', '/v1/orders', { query: { page_size: 1000, ...query } })) as BasicOrder[]
}

async function ids(query: Query): Promise<number[]> {
  return (await list(query)).map((o) => o.id)
}

const idsOf = (orders: readonly BasicOrder[]) => orders.map((o) => o.id)

/** A list call with the query string exactly as written (the harness would re-encode it). */
async function literal(query: string) {
  return sim.call('GET', `/v1/orders?${query}&client_id=${encodeURIComponent(sim.clientId)}`, { clientId: null })
}

describe('page and page_size', () => {
  it('accepts page_size up to 1000', async () => {
    const response = await sim.call('GET', '/v1/orders', { query: { page_size: 1000 } })
    expect(expectOk(response)).toHaveLength(visible.length)
    expect(response.body.paging).toEqual({ total: visible.length, pages: 1, size: visible.length, page: 1 })
  })

  it.each(['0', '-1', 'abc', '1001', '1.5'])('refuses page_size=%s with 400', async (pageSize) => {
    expectError(await sim.call('GET', '/v1/orders', { query: { page_size: pageSize } }), 400)
  })

  it.each(['0', '-1', 'abc', '1.5'])('refuses page=%s with 400', async (page) => {
    expectError(await sim.call('GET', '/v1/orders', { query: { page } }), 400)
  })

  it('an empty result still has pages 1, size 0 and total 0', async () => {
    const response = await sim.call('GET', '/v1/orders', { query: { id: 1 } })
    expect(expectOk(response)).toEqual([])
    expect(response.body.paging).toEqual({ total: 0, pages: 1, size: 0, page: 1 })
  })

  it('an exactly full last page', async () => {
    const twenty = idsOf(visible.slice(0, 20))
    const response = await sim.call('GET', '/v1/orders', { query: { id: `in:${twenty.join(',')}`, page_size: 10, page: 2 } })
    expect(idsOf(expectOk(response))).toEqual(twenty.slice(10))
    expect(response.body.paging).toEqual({ total: 20, pages: 2, size: 10, page: 2 })
  })

  it('a short last page: size is what is on the page', async () => {
    const some = idsOf(visible.slice(0, 25))
    const response = await sim.call('GET', '/v1/orders', { query: { id: `in:${some.join(',')}`, page_size: 10, page: 3 } })
    expect(idsOf(expectOk(response))).toEqual(some.slice(20))
    expect(response.body.paging).toEqual({ total: 25, pages: 3, size: 5, page: 3 })
  })

  it('a page past the end answers 200 with no data', async () => {
    const some = idsOf(visible.slice(0, 25))
    const response = await sim.call('GET', '/v1/orders', { query: { id: `in:${some.join(',')}`, page_size: 10, page: 4 } })
    expect(expectOk(response)).toEqual([])
    expect(response.body.paging).toEqual({ total: 25, pages: 3, size: 0, page: 4 })
    const far = await sim.call('GET', '/v1/orders', { query: { page: 999 } })
    expect(expectOk(far)).toEqual([])
    expect(far.body.paging).toMatchObject({ size: 0, page: 999, total: visible.length })
  })

  it('walking the pages yields every order once, in order', async () => {
    const seen: number[] = []
    let pages = Infinity
    for (let page = 1; page <= pages; page++) {
      const response = await sim.call('GET', '/v1/orders', { query: { page_size: 7, page } })
      seen.push(...idsOf(expectOk(response)))
      pages = response.body.paging.pages
      expect(response.body.paging.size).toBe(response.body.data.length)
    }
    expect(seen).toEqual(idsOf(visible))
  })
})

describe('filters', () => {
  it('field=value and field=eq:value', async () => {
    const open = idsOf(visible.filter((o) => o.status === 'open'))
    expect(open.length).toBeGreaterThan(0)
    expect(await ids({ status: 'open' })).toEqual(open)
    expect(await ids({ status: 'eq:open' })).toEqual(open)
  })

  it('values URL-encoded as the PHP client sends them, and unencoded too', async () => {
    const open = idsOf(visible.filter((o) => o.status === 'open'))
    for (const query of ['status=eq%3Aopen&page_size=1000', 'status=eq:open&page_size=1000']) {
      expect(idsOf(expectOk(await literal(query))), query).toEqual(open)
    }
    const desc = [...idsOf(visible)].reverse()
    expect(idsOf(expectOk(await literal('_sort=id%3Adesc&page_size=1000')))).toEqual(desc)
  })

  it('neq and ne mean the same', async () => {
    const notOpen = idsOf(visible.filter((o) => o.status !== 'open'))
    expect(notOpen.length).toBeGreaterThan(0)
    expect(await ids({ status: 'neq:open' })).toEqual(notOpen)
    expect(await ids({ status: 'ne:open' })).toEqual(notOpen)
  })

  it('gt, ge, lt and le on a number', async () => {
    const cods = [...new Set(visible.map((o) => o.cod).filter((cod) => cod > 0))].sort((a, b) => a - b)
    const pivot = cods[Math.floor(cods.length / 2)]!
    expect(await ids({ cod: `gt:${pivot}` })).toEqual(idsOf(visible.filter((o) => o.cod > pivot)))
    expect(await ids({ cod: `ge:${pivot}` })).toEqual(idsOf(visible.filter((o) => o.cod >= pivot)))
    expect(await ids({ cod: `lt:${pivot}` })).toEqual(idsOf(visible.filter((o) => o.cod < pivot)))
    expect(await ids({ cod: `le:${pivot}` })).toEqual(idsOf(visible.filter((o) => o.cod <= pivot)))
    expect((await ids({ cod: `ge:${pivot}` })).length).toBe((await ids({ cod: `gt:${pivot}` })).length + visible.filter((o) => o.cod === pivot).length)
  })

  it('in and nin', async () => {
    const customers = [visible[0]!.customer_id, visible[5]!.customer_id, visible[9]!.customer_id]
    expect(await ids({ customer_id: `in:${customers.join(',')}` })).toEqual(idsOf(visible.filter((o) => customers.includes(o.customer_id))))
    expect(await ids({ status: 'in:shipping,shipped' })).toEqual(idsOf(visible.filter((o) => ['shipping', 'shipped'].includes(o.status))))
    expect(await ids({ status: 'nin:open,shipping' })).toEqual(idsOf(visible.filter((o) => !['open', 'shipping'].includes(o.status))))
  })

  it('bt is inclusive and nbt is its complement', async () => {
    const cods = [...new Set(visible.map((o) => o.cod).filter((cod) => cod > 0))].sort((a, b) => a - b)
    const low = cods[2]!
    const high = cods[cods.length - 3]!
    const between = await ids({ cod: `bt:${low},${high}` })
    expect(between).toEqual(idsOf(visible.filter((o) => o.cod >= low && o.cod <= high)))
    expect(between).toContain(visible.find((o) => o.cod === low)!.id)
    expect(between).toContain(visible.find((o) => o.cod === high)!.id)
    const outside = await ids({ cod: `nbt:${low},${high}` })
    expect(outside).toEqual(idsOf(visible.filter((o) => o.cod < low || o.cod > high)))
    expect(between.length + outside.length).toBe(visible.length)
  })

  it('$null with eq and neq', async () => {
    const untracked = idsOf(visible.filter((o) => o.tracking_number === null))
    expect(untracked.length).toBeGreaterThan(0)
    expect(await ids({ tracking_number: '$null' })).toEqual(untracked)
    expect(await ids({ tracking_number: 'eq:$null' })).toEqual(untracked)
    const shipped = idsOf(visible.filter((o) => o.shipped !== null))
    expect(shipped.length).toBeGreaterThan(0)
    expect(await ids({ shipped: 'neq:$null' })).toEqual(shipped)
    expect(await ids({ shipped: 'ne:$null' })).toEqual(shipped)
  })

  it('booleans as true/false/1/0', async () => {
    const mdp = idsOf(visible.filter((o) => o.mdp))
    const own = idsOf(visible.filter((o) => !o.mdp))
    expect(mdp.length).toBeGreaterThan(0)
    expect(own.length).toBeGreaterThan(0)
    expect(await ids({ mdp: 'true' })).toEqual(mdp)
    expect(await ids({ mdp: '1' })).toEqual(mdp)
    expect(await ids({ mdp: 'eq:1' })).toEqual(mdp)
    expect(await ids({ mdp: 'false' })).toEqual(own)
    expect(await ids({ mdp: '0' })).toEqual(own)
    expect(await ids({ confirmed: 'eq:false' })).toEqual(idsOf(visible.filter((o) => !o.confirmed)))
  })

  it('date-times with colons in them', async () => {
    const opens = visible.map((o) => o.open).filter((at): at is string => at !== null).sort()
    const pivot = opens[Math.floor(opens.length / 2)]!
    expect(pivot).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/)
    const later = idsOf(visible.filter((o) => o.open !== null && o.open > pivot))
    expect(later.length).toBeGreaterThan(0)
    expect(await ids({ open: `gt:${pivot}` })).toEqual(later)
    expect(idsOf(expectOk(await literal(`open=gt:${pivot.replace(' ', '%20')}&page_size=1000`)))).toEqual(later)
    expect(await ids({ open: pivot })).toEqual(idsOf(visible.filter((o) => o.open === pivot)))
    const first = opens[0]!
    expect(await ids({ open: `bt:${first},${pivot}` })).toEqual(idsOf(visible.filter((o) => o.open !== null && o.open >= first && o.open <= pivot)))
    expect(await ids({ open: 'gt:2024-01-01 00:00:00' })).toEqual(idsOf(visible.filter((o) => o.open !== null)))
  })

  it('several filters must all hold', async () => {
    expect(await ids({ status: 'open', mdp: 'true', cod: 'gt:0' })).toEqual(
      idsOf(visible.filter((o) => o.status === 'open' && o.mdp && o.cod > 0)),
    )
  })

  it.each([
    ['an unknown field', { colour: 'red' }],
    ['a detail-only field', { items: 'x' }],
    ['an unknown operator', { status: 'like:open' }],
    ['an unknown operator on a number', { cod: 'gte:100' }],
    ['a word for a number field', { cod: 'abc' }],
    ['a word for a number with an operator', { id: 'gt:abc' }],
    ['a word in a list of numbers', { customer_id: 'in:1,two' }],
    ['bt with one value', { cod: 'bt:100' }],
    ['a non-boolean for a boolean', { mdp: 'yes' }],
  ] as const)('refuses %s with 400 FILTER_INVALID', async (_what, query) => {
    expectError(await sim.call('GET', '/v1/orders', { query }), 400, 'FILTER_INVALID')
  })
})

describe('blocked and test orders', () => {
  it('blocked orders only when status blocked is asked for by name', async () => {
    const blocked = idsOf(everything.filter((o) => o.status === 'blocked' && !o.test).sort((a, b) => a.id - b.id))
    expect(blocked.length).toBeGreaterThan(0)
    expect(await ids({ status: 'blocked' })).toEqual(blocked)
    expect(await ids({ status: 'eq:blocked' })).toEqual(blocked)
    const openOrBlocked = idsOf(everything.filter((o) => ['open', 'blocked'].includes(o.status) && !o.test).sort((a, b) => a.id - b.id))
    expect(await ids({ status: 'in:open,blocked' })).toEqual(openOrBlocked)
    const queries: Query[] = [{}, { status: 'neq:open' }, { status: 'nin:open' }, { confirmed: 'false' }, { cod: 'ge:0' }]
    for (const query of queries) {
      const found = await list(query)
      expect(found.some((o) => o.status === 'blocked'), JSON.stringify(query)).toBe(false)
    }
  })

  it('test orders only with test=1 or test=true', async () => {
    const tests = everything.filter((o) => o.test && o.status !== 'blocked')
    expect(tests.length).toBeGreaterThan(0)
    expect((await list({})).some((o) => o.test)).toBe(false)
    expect((await list({ test: '0' })).some((o) => o.test)).toBe(false)
    for (const flag of ['1', 'true']) {
      const all = await list({ test: flag })
      expect(all.filter((o) => o.test).map((o) => o.id).sort()).toEqual(tests.map((o) => o.id).sort())
      expect(all).toHaveLength(visible.length + tests.length)
    }
  })
})

describe('_sort', () => {
  it('defaults to id ascending', async () => {
    expect(await ids({})).toEqual(idsOf(visible))
  })

  it('field:desc, and several keys', async () => {
    const byCodDesc = await list({ _sort: 'cod:desc' })
    for (let i = 1; i < byCodDesc.length; i++) expect(byCodDesc[i - 1]!.cod).toBeGreaterThanOrEqual(byCodDesc[i]!.cod)
    expect(await ids({ _sort: 'id:desc' })).toEqual([...idsOf(visible)].reverse())
    const byStatusThenCod = await list({ _sort: 'status,cod:desc' })
    for (let i = 1; i < byStatusThenCod.length; i++) {
      const [a, b] = [byStatusThenCod[i - 1]!, byStatusThenCod[i]!]
      expect(a.status <= b.status).toBe(true)
      if (a.status === b.status) expect(a.cod).toBeGreaterThanOrEqual(b.cod)
    }
    expect(byStatusThenCod).toHaveLength(visible.length)
  })

  it('an explicit asc sorts as the default does', async () => {
    expect(await ids({ _sort: 'id:asc' })).toEqual(idsOf(visible))
  })

  it.each(['colour', 'items', 'id:sideways', 'id:desc:asc', 'cod:DESC;'])('refuses _sort=%s with 400 SORT_INVALID', async (sort) => {
    expectError(await sim.call('GET', '/v1/orders', { query: { _sort: sort } }), 400, 'SORT_INVALID')
  })
})
