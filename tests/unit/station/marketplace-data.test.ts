import { describe, expect, it } from 'vitest'
import { MallClient } from '../../../server/marketplace/mall/client.ts'
import { parseRetryAfter } from '../../../server/marketplace/retry-after.ts'
import { MarketplaceError } from '../../../server/marketplace/marketplace.ts'
import { MarketplaceDataError, normalizeIdList, normalizeOrder } from '../../../server/marketplace/mall/normalize.ts'

/** What the real MALL API sends, read into the station's one shape (mall-orders-api.md §1.4, §2, §10.9). */

const recorded = {
  // A detail as MALL returns it for a test order: null keys left out, numbers partly as strings.
  id: '10085339302',
  purchase_id: 100853393,
  currency: 'CZK',
  cod: '1613.00',
  delivery_price: 79,
  cod_price: '35',
  discount: 0,
  payment_type: 'B',
  delivery_method: '20',
  delivery_method_id: '21',
  status: 'open',
  confirmed: 'false',
  mdp: 1,
  address: { customer_id: 1100012571, name: 'Jana Nováková', phone: '+420777000111', email: 'jana@example.cz', street: 'Dlouhá 12', city: 'Brno', zip: 60200, country: 'CZ' },
  items: [{ id: 1001, article_id: '100001054382', title: 'Kettle', quantity: '2', price: 999, vat: '21.0' }],
  open: '2024-03-11 09:20:41',
}

describe('reading the marketplace’s orders', () => {
  it('fills keys the marketplace left out and reads numbers sent as strings', () => {
    const order = normalizeOrder(recorded)
    expect(order).toMatchObject({
      id: 10085339302,
      cod: 1613,
      cod_price: 35,
      delivery_method_id: 21,
      confirmed: false,
      mdp: true,
      test: false,
      tracking_number: null,
      branch_id: null,
      blocked: null,
      open: '2024-03-11 09:20:41',
      branches: { branch_id: null, secondary_branch_id: null, overridden: false, last_change: null },
      ready_to_return: false,
      ulozenka_status_history: [],
      consignment_status_history: [],
    })
    expect(order.address.zip).toBe('60200')
    expect(order.address.company).toBeNull()
    // An all-digit SKU stays a string: the SKU is an id, never a number.
    expect(order.items[0]).toEqual({ id: '1001', article_id: 100001054382, title: 'Kettle', quantity: 2, price: 999, vat: 21, commission: null, serial_numbers: [] })
  })

  it('takes the pickup point from branches, and the older branch_change_time', () => {
    const order = normalizeOrder({ ...recorded, branches: { branch_id: 4711, secondary_branch_id: 4800, branch_change_time: '2024-03-12 08:00:00' } })
    expect(order.branch_id).toBe(4711)
    expect(order.branches).toEqual({ branch_id: 4711, secondary_branch_id: 4800, overridden: true, last_change: '2024-03-12 08:00:00' })
  })

  it('refuses, with a sentence, an order it cannot read rather than guessing', () => {
    expect(() => normalizeOrder({ ...recorded, status: 'packed' })).toThrow(MarketplaceDataError)
    expect(() => normalizeOrder({ ...recorded, id: 'abc' })).toThrow(/cannot read/)
  })

  it('reads both list shapes of order ids, and basic objects', () => {
    expect(normalizeIdList([569847, '569891'])).toEqual([569847, 569891])
    expect(normalizeIdList({ ids: [1, 2] })).toEqual([1, 2])
    expect(normalizeIdList([{ id: 3 }, { id: '4' }])).toEqual([3, 4])
    expect(() => normalizeIdList({ orders: [] })).toThrow(MarketplaceDataError)
    expect(() => normalizeIdList(['x'])).toThrow(MarketplaceDataError)
  })
})

describe('the marketplace’s answers', () => {
  it('reads Retry-After as seconds or as a date', () => {
    const now = Date.parse('2026-11-22T10:00:00Z')
    expect(parseRetryAfter('120', now)).toBe(120_000)
    expect(parseRetryAfter('Sun, 22 Nov 2026 10:00:30 GMT', now)).toBe(30_000)
    expect(parseRetryAfter(null, now)).toBeNull()
    expect(parseRetryAfter('soon', now)).toBeNull()
  })

  function clientAnswering(status: number, body: unknown, headers: Record<string, string> = {}) {
    const calls: string[] = []
    const client = new MallClient({
      baseUrl: 'http://marketplace.test/',
      clientId: 'secret',
      fetch: async (input) => {
        calls.push(String(input))
        return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } })
      },
    })
    return { client, calls }
  }

  it('turns 429 into a wait of Retry-After, and 5xx into unavailable', async () => {
    const limited = clientAnswering(429, { result: { code: 429, status: 'LIMITED', message: 'Too many' } }, { 'retry-after': '7' })
    await expect(limited.client.getOrder(1)).rejects.toMatchObject({ kind: 'rate_limited', retryAfterMs: 7000 })
    const down = clientAnswering(503, { result: { code: 503, status: 'ERROR', message: 'down' } })
    await expect(down.client.getOrder(1)).rejects.toMatchObject({ kind: 'unavailable', status: 503 })
  })

  it('reads a refusal’s message and code, and a wrong key as unauthorized', async () => {
    const refused = clientAnswering(400, {
      result: { code: 400, status: 'ERROR', message: 'Status change from delivered to shipped is not allowed' },
      errorCodes: [{ errorCode: 'ORDER_FINAL', message: 'x', errorAttributes: {} }],
    })
    const error = await refused.client.changeStatus(1, { status: 'shipped' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(MarketplaceError)
    expect(error).toMatchObject({ kind: 'refused', code: 'ORDER_FINAL', message: 'Status change from delivered to shipped is not allowed' })
    const wrongKey = clientAnswering(401, { result: { code: 401, status: 'ERROR', message: 'bad key' } })
    await expect(wrongKey.client.getOrder(1)).rejects.toMatchObject({ kind: 'unauthorized' })
  })

  it('sends the key as client_id on every call, and pages through a list to the end', async () => {
    let page = 0
    const calls: URL[] = []
    const client = new MallClient({
      baseUrl: 'http://marketplace.test',
      clientId: 'secret',
      fetch: async (input) => {
        const url = new URL(String(input))
        calls.push(url)
        page++
        return new Response(JSON.stringify({ result: { code: 200, status: 'OK' }, paging: { total: 3, pages: 2, size: page === 1 ? 2 : 1, page }, data: page === 1 ? [1, 2] : { ids: [3] } }), { status: 200 })
      },
    })
    expect(await client.listIds('unconfirmed')).toEqual([1, 2, 3])
    expect(calls.map((url) => url.searchParams.get('client_id'))).toEqual(['secret', 'secret'])
    expect(calls.map((url) => url.searchParams.get('page'))).toEqual(['1', '2'])
  })

  it('marks a write that got no answer as possibly applied', async () => {
    const client = new MallClient({
      baseUrl: 'http://marketplace.test',
      clientId: 'secret',
      fetch: async () => {
        throw new TypeError('fetch failed')
      },
    })
    await expect(client.changeStatus(1, { status: 'shipping' })).rejects.toMatchObject({ kind: 'unavailable', uncertain: true })
    await expect(client.getOrder(1)).rejects.toMatchObject({ kind: 'unavailable', uncertain: false })
  })
})
