import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BasicOrder, Order } from '#core/order.ts'
import { startSimulator, type RunningSimulator } from '../../support/simulator.ts'
import type { CallResult } from '../../support/simulator.ts'
import { ALL_STATUSES_FILTER, createOrder, expectError, expectOk, getOrder, listEverything } from './helpers.ts'

let sim: RunningSimulator
let before: BasicOrder[]
let sample: Order
/** The order whose tracking link takes each hostile string: MALL takes any link, so it is kept. */
let linked: Order
let sku: string

beforeAll(async () => {
  sim = await startSimulator()
  sample = await createOrder(sim, { mdp: false, pickup_point: false })
  linked = await createOrder(sim, { mdp: false, pickup_point: false })
  before = await listEverything(sim)
  sku = sample.items[0]!.id
})
afterAll(() => sim?.close())

const SQL = ["' OR 1=1 --", '1; DROP TABLE orders', "1' OR '1'='1", '"; DELETE FROM orders; --', '1 UNION SELECT * FROM meta']
const PATHS = ['../../etc/passwd', '..%2F..%2Fetc%2Fpasswd', '%2e%2e%2f', '..\\..\\windows\\win.ini', '/etc/passwd', 'file:///etc/passwd']
const HOSTILE = [...SQL, ...PATHS, '\u0000', '%00', '${7*7}', '<script>alert(1)</script>', '__proto__', 'constructor', 'x'.repeat(5000)]
/** Path segments: the long one gets a test of its own. */
const HOSTILE_SEGMENTS = HOSTILE.filter((value) => value.length < 100)

/** Harmless: a clean 4xx in the error envelope, or a 200 (that found nothing, unless told otherwise). */
function expectHarmless(response: CallResult, what: string, mayFind = false): void {
  expect(response.status, `${what}: ${response.text.slice(0, 300)}`).toBeLessThan(500)
  if (response.status >= 400) {
    expectError(response, response.status)
  } else {
    expect(response.status, what).toBe(200)
    const data = response.body?.data
    if (Array.isArray(data) && !mayFind) expect(data, what).toEqual([])
  }
}

async function total(): Promise<number> {
  const response = await sim.call('GET', '/v1/orders', { query: { status: ALL_STATUSES_FILTER, test: 1, page_size: 1 } })
  expectOk(response)
  return response.body.paging.total
}

describe('malformed and oversized bodies', () => {
  it.each(['{"confirmed": tru', '{confirmed: true}', '{"confirmed": true,}', "{'confirmed': true}", '[', '\u0000'])(
    'malformed JSON %j is 400 INVALID_JSON',
    async (raw) => {
      expectError(await sim.call('PUT', `/v1/orders/${sample.id}`, { rawBody: raw }), 400, 'INVALID_JSON')
      expectError(await sim.call('POST', '/v1/orders/labels', { rawBody: raw }), 400, 'INVALID_JSON')
      expectError(await sim.call('PUT', `/v1/orders/${sample.id}/tracking`, { rawBody: raw }), 400, 'INVALID_JSON')
    },
  )

  it('an empty JSON body is a clean 400', async () => {
    expectError(await sim.call('PUT', `/v1/orders/${sample.id}`, { rawBody: '' }), 400)
  })

  it('a body that is not JSON at all is a clean 4xx', async () => {
    const response = await sim.call('PUT', `/v1/orders/${sample.id}`, { rawBody: 'confirmed=true', headers: { 'content-type': 'application/x-www-form-urlencoded' } })
    expectError(response, response.status)
    expect(response.status).toBeGreaterThanOrEqual(400)
    expect(response.status).toBeLessThan(500)
  })

  it('a body over 1 MiB is 413', async () => {
    const huge = JSON.stringify({ confirmed: true, tracking_number: 'A'.repeat(1024 * 1024 + 10) })
    expectError(await sim.call('PUT', `/v1/orders/${sample.id}`, { rawBody: huge }), 413)
    const labels = JSON.stringify({ labels: Array.from({ length: 40_000 }, () => ({ order_id: sample.id, parcel_count: 1 })) })
    expect(labels.length).toBeGreaterThan(1024 * 1024)
    expectError(await sim.call('POST', '/v1/orders/labels', { rawBody: labels }), 413)
  })

  it('a body nested ten thousand deep is a clean 4xx', async () => {
    const deep = '['.repeat(10_000) + ']'.repeat(10_000)
    const response = await sim.call('PUT', `/v1/orders/${sample.id}`, { rawBody: deep })
    expectHarmless(response, 'deep body')
    expect(response.status).toBeGreaterThanOrEqual(400)
  })

  it('a __proto__ key in a body changes nothing', async () => {
    const response = await sim.call('PUT', `/v1/orders/${sample.id}`, { rawBody: '{"__proto__": {"status": "cancelled", "confirmed": true}}' })
    expectHarmless(response, '__proto__ body')
    expect(await getOrder(sim, sample.id)).toEqual(sample)
  })
})

describe('SQL and paths in every parameter', () => {
  it('as a path id', async () => {
    for (const value of HOSTILE_SEGMENTS) {
      const id = encodeURIComponent(value)
      for (const [method, path, body] of [
        ['GET', `/v1/orders/${id}`],
        ['GET', `/v1/orders/${id}/consignments`],
        ['PUT', `/v1/orders/${id}`, { confirmed: true }],
        ['PUT', `/v1/orders/${id}/tracking`, { tracking_number: 'A1', tracking_url: 'https://t.example/A1' }],
        ['PUT', `/v1/orders/${sample.id}/items/${id}/serial-numbers`, ['SN1']],
        ['POST', `/v1/orders/${id}/labels`, { label_type: 'pdf', parcel_count: 1 }],
        ['GET', `/v1/products/${id}`],
        ['POST', `/_sim/orders/${id}/cancel`],
      ] as const) {
        const response = await sim.call(method, path, { body })
        expectHarmless(response, `${method} ${path.slice(0, 80)} (${JSON.stringify(value.slice(0, 30))})`)
        expect(response.status, `${method} ${path.slice(0, 80)}`).toBeGreaterThanOrEqual(400)
      }
    }
  })

  it('an over-long path id is a clean 4xx in the error envelope', async () => {
    for (const path of [`/v1/orders/${'9'.repeat(500)}`, `/v1/orders/${'x'.repeat(5000)}`, `/v1/products/${'x'.repeat(5000)}`]) {
      const response = await sim.call('GET', path)
      expectHarmless(response, path.slice(0, 40))
      expect(response.status).toBeGreaterThanOrEqual(400)
    }
  })

  it('as a raw path segment, unencoded', async () => {
    for (const segment of ['..%2f..%2fetc%2fpasswd', '%2e%2e%2f%2e%2e%2f', "'%20OR%201=1%20--", '1;%20DROP%20TABLE%20orders', '..', '%2e%2e']) {
      const response = await sim.call('GET', `/v1/orders/${segment}`)
      expectHarmless(response, segment)
      expect(response.status).toBeGreaterThanOrEqual(400)
    }
  })

  it('as a filter value', async () => {
    for (const value of HOSTILE) {
      for (const field of ['status', 'customer', 'external_id', 'tracking_number', 'id', 'cod', 'confirmed', 'open']) {
        for (const op of ['', 'eq:', 'in:', 'neq:']) {
          const response = await sim.call('GET', '/v1/orders', { query: { [field]: `${op}${value}` } })
          const what = `${field}=${op}${value.slice(0, 40)}`
          // A neq that matches everything is fine; anything else must find nothing.
          expectHarmless(response, what, op === 'neq:')
          if (response.status === 200 && op !== 'neq:') expect(response.body.paging.total, what).toBe(0)
        }
      }
    }
  })

  it('as a filter name', async () => {
    for (const value of HOSTILE) {
      const response = await sim.call('GET', '/v1/orders', { query: { [value]: 'open' } })
      expectError(response, 400, 'FILTER_INVALID')
    }
  })

  it('as the sort', async () => {
    for (const value of HOSTILE) {
      const response = await sim.call('GET', '/v1/orders', { query: { _sort: value } })
      expectError(response, 400, 'SORT_INVALID')
    }
  })

  it('as page, page_size and days', async () => {
    for (const value of HOSTILE) {
      expectError(await sim.call('GET', '/v1/orders', { query: { page: value } }), 400)
      expectError(await sim.call('GET', '/v1/orders', { query: { page_size: value } }), 400)
      expectError(await sim.call('GET', '/v1/orders/open', { query: { page: value } }), 400)
      expectError(await sim.call('GET', '/v1/orders/stats', { query: { days: value } }), 400)
      expectError(await sim.call('GET', '/v1/products', { query: { page: value } }), 400)
    }
  })

  it('as client_id', async () => {
    for (const value of HOSTILE) {
      expectError(await sim.call('GET', '/v1/orders', { clientId: value }), 401)
      expectError(await sim.call('PUT', `/v1/orders/${sample.id}`, { clientId: value, body: { confirmed: true } }), 401)
    }
  })

  async function expectNoPhoto(file: string): Promise<void> {
    const response = await fetch(`${sim.base}/media/products/${file}`)
    const text = await response.text()
    expect(response.status, `${file.slice(0, 80)}: ${text.slice(0, 200)}`).toBeGreaterThanOrEqual(400)
    expect(response.status, `${file.slice(0, 80)}: ${text.slice(0, 200)}`).toBeLessThan(500)
    expect(text).not.toMatch(/root:|\[fonts\]/)
  }

  it('as a media file name', async () => {
    const names = [...HOSTILE_SEGMENTS.map((value) => encodeURIComponent(value)), '..%2F..%2Fetc%2Fpasswd', '%2e%2e%2f%2e%2e%2fetc%2fpasswd', '%252e%252e%252f']
    for (const name of names) {
      for (const file of [name, `${name}.svg`, `${encodeURIComponent(sku)}${name}.svg`]) await expectNoPhoto(file)
    }
    const good = await fetch(`${sim.base}/media/products/${encodeURIComponent(sku)}.svg`)
    expect(good.status).toBe(200)
  })

  it('a media file name with a stray or broken percent escape is a clean 4xx', async () => {
    for (const file of ['%25.svg', '100%25.svg', '%25E0%25A4%25A.svg', '%25zz.svg', `${encodeURIComponent(sku)}%25.svg`]) await expectNoPhoto(file)
  })

  it('inside a PUT body', async () => {
    // Not the long run of x nor __proto__: those are well-formed tracking numbers.
    for (const value of [...SQL, ...PATHS, '\u0000', '<script>alert(1)</script>', '${7*7}']) {
      for (const body of [
        { confirmed: true, status: value },
        { confirmed: true, status: 'shipped', tracking_number: value, tracking_url: 'https://t.example/1' },
        { confirmed: true, status: 'delivered', delivered_at: value },
      ]) {
        const response = await sim.call('PUT', `/v1/orders/${sample.id}`, { body })
        expectHarmless(response, JSON.stringify(body).slice(0, 100))
        expect(response.status).toBe(400)
      }
      // No source limits what a tracking link looks like: it is taken, and comes back exactly as sent.
      const link = { confirmed: true, status: 'shipping', tracking_number: 'A1', tracking_url: value }
      const taken = await sim.call('PUT', `/v1/orders/${linked.id}`, { body: link })
      expectHarmless(taken, JSON.stringify(link).slice(0, 100))
      expect(taken.status).toBe(200)
      expect((await getOrder(sim, linked.id)).tracking_url).toBe(value)
      expectHarmless(await sim.call('POST', '/v1/orders/labels', { body: { labels_type: value, labels: [{ order_id: sample.id, parcel_count: 1 }] } }), 'labels_type')
      expectHarmless(await sim.call('POST', '/v1/orders/labels', { body: { labels: [{ order_id: value, parcel_count: 1 }] } }), 'labels order_id')
      expectHarmless(await sim.call('POST', '/_sim/outage', { body: { mode: value } }), 'outage mode')
    }
    expect(expectOk(await sim.call('GET', '/_sim/outage'))).toEqual({ mode: 'off' })
  })
})

describe('afterwards', () => {
  it('the data is intact: the same orders, unchanged', async () => {
    expect(await total()).toBe(before.length)
    const others = (orders: BasicOrder[]) => orders.filter((order) => order.id !== linked.id)
    expect(others(await listEverything(sim))).toEqual(others(before))
    expect(await getOrder(sim, sample.id)).toEqual(sample)
  })
})
