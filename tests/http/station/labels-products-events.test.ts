import { describe, expect } from 'vitest'
import { eventually } from '../../support/station.ts'
import { onDevice } from './fixtures.ts'
import {
  appliedPuts,
  changeStatus,
  expectProblem,
  health,
  marketplaceOrder,
  newOrder,
  outage,
  pullAll,
  simLog,
  stationOrder,
  tracking,
} from './helpers.ts'

/** EAN-8/UPC-A/EAN-13/GTIN-14 with its mod-10 check digit, written out independently of the code under test. */
function isGtin(code: string): boolean {
  if (!/^(\d{8}|\d{12,14})$/.test(code)) return false
  const digits = [...code].map(Number)
  const check = digits.pop() as number
  const sum = digits.reverse().reduce((total, digit, i) => total + digit * (i % 2 === 0 ? 3 : 1), 0)
  return (10 - (sum % 10)) % 10 === check
}

interface ServerEvent {
  event: string
  data: unknown
}

/** A tablet's event stream, read with fetch as the PWA's fallback would. */
async function openEvents(url: string, headers: Record<string, string> = {}) {
  const controller = new AbortController()
  const response = await fetch(url, { headers, signal: controller.signal })
  const events: ServerEvent[] = []
  if (response.ok && response.body) {
    const reader = response.body.getReader()
    const decoder = new TextDecoder()
    let buffer = ''
    void (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read()
          if (done) return
          buffer += decoder.decode(value, { stream: true })
          for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
            const block = buffer.slice(0, end)
            buffer = buffer.slice(end + 2)
            let event = 'message'
            const data: string[] = []
            for (const line of block.split('\n')) {
              if (line.startsWith('event:')) event = line.slice(6).trim()
              else if (line.startsWith('data:')) data.push(line.slice(5).trim())
            }
            if (data.length > 0) events.push({ event, data: JSON.parse(data.join('\n')) })
          }
        }
      } catch {
        // aborted by the test
      }
    })()
  }
  return {
    response,
    events,
    next: (name: string, from: number, timeoutMs = 5000) =>
      eventually(() => events.slice(from).find((e) => e.event === name), timeoutMs, 20),
    close: () => controller.abort(),
  }
}

interface LabelSteps {
  /** Waits until the station has the order's change at the marketplace. */
  synced: (id: number) => Promise<unknown>
  /** A MALL Delivery order to an address, moved to shipping through the station. */
  mallDeliveryInShipping: () => Promise<Awaited<ReturnType<typeof newOrder>>>
  /** The label requests the marketplace received for an order. */
  labelRequests: (id: number) => Promise<Awaited<ReturnType<typeof simLog>>>
  /**
   * Asks the station for labels as a packing station does: 200 with them, or 202 when the marketplace
   * did not answer in time, after which they arrive through the outbox.
   */
  labelsFor: (id: number, body: Record<string, unknown>) => Promise<any> // eslint-disable-line @typescript-eslint/no-explicit-any -- whatever the API sent
}

const it = onDevice('tablet-01').extend<LabelSteps>({
  synced: async ({ running, token }, use) => {
    await use((id) => eventually(async () => (await stationOrder(running, token, id)).order.synced))
  },
  mallDeliveryInShipping: async ({ running, token, synced }, use) => {
    await use(async () => {
      const order = await newOrder(running, token, { mdp: true, pickup_point: false })
      expect(order.mdp).toBe(true)
      const packing = await changeStatus(running, token, order.id, { status: 'shipping', confirmed: true })
      expect(packing.status, packing.text).toBe(200)
      await synced(order.id)
      return order
    })
  },
  labelRequests: async ({ running }, use) => {
    await use(async (id) => (await simLog(running)).filter((entry) => entry.method === 'POST' && JSON.stringify(entry.body ?? null).includes(String(id))))
  },
  labelsFor: async ({ running, token }, use) => {
    await use(async (id, body) => {
      const result = await running.api('POST', `/api/orders/${id}/labels`, { token, body })
      if (result.status === 202) {
        expect(result.body.queued).toBe(true)
        return eventually(async () => {
          const stored = await running.api('GET', `/api/orders/${id}/labels`, { token })
          return stored.status === 200 ? stored.body : null
        }, 15_000)
      }
      expect(result.status, result.text).toBe(200)
      return result.body
    })
  },
})

describe('labels, products, events and health', () => {
  it('gets MALL Delivery labels from the marketplace for an order in shipping, then lets it ship with MALL’s tracking', async ({ running, token, synced, mallDeliveryInShipping, labelsFor }) => {
    const order = await mallDeliveryInShipping()
    const labels = await labelsFor(order.id, { parcel_count: 2, labels_type: 'pdf' })
    expect(labels).toMatchObject({ order_id: order.id, labels_type: 'pdf', parcel_count: 2 })
    expect(labels.barcodes).toHaveLength(2)
    expect(Buffer.from(labels.labels_raw, 'base64').subarray(0, 5).toString('latin1')).toBe('%PDF-')

    const consignment = await running.mall('GET', `/v1/orders/${order.id}/consignments`)
    expect(consignment.status, consignment.text).toBe(200)
    expect(consignment.body.data).toMatchObject({ order_id: order.id, parcel_count: 2, labels_type: 'pdf' })
    expect(consignment.body.data.labels_raw).toBe(labels.labels_raw)

    const stored = await running.api('GET', `/api/orders/${order.id}/labels`, { token })
    expect(stored.status).toBe(200)
    expect(stored.body).toEqual(labels)
    const history = (await stationOrder(running, token, order.id)).history
    expect(history.find((entry) => entry.action === 'labels')).toMatchObject({ user: 'picker', device_id: 'tablet-01', marketplace_state: 'sent' })

    // With labels, a MALL Delivery order ships without a tracking number: MALL gives it.
    const shipped = await changeStatus(running, token, order.id, { status: 'shipped' })
    expect(shipped.status, shipped.text).toBe(200)
    await synced(order.id)
    const there = await marketplaceOrder(running, order.id)
    expect(there.status).toBe('shipped')
    expect(there.tracking_number).toBeTypeOf('string')
    expect((await appliedPuts(running, order.id)).map((entry) => entry.body)).toEqual([{ status: 'shipping', confirmed: true }, { status: 'shipped' }])
  })

  it('refuses labels for an own-carrier order, for an order not yet in shipping, and for a broken request, asking nothing of the marketplace', async ({ running, token, synced, mallDeliveryInShipping, labelRequests }) => {
    const own = await newOrder(running, token)
    await changeStatus(running, token, own.id, { status: 'shipping', confirmed: true })
    await synced(own.id)
    expectProblem(await running.api('POST', `/api/orders/${own.id}/labels`, { token, body: { parcel_count: 1, labels_type: 'pdf' } }), 422, 'LABELS_NOT_MALL_DELIVERY')
    const open = await newOrder(running, token, { mdp: true, pickup_point: false })
    expectProblem(await running.api('POST', `/api/orders/${open.id}/labels`, { token, body: { parcel_count: 1, labels_type: 'pdf' } }), 422, 'LABELS_WRONG_STATUS')
    const packing = await mallDeliveryInShipping()
    for (const body of [{ parcel_count: 0 }, { parcel_count: 101 }, { parcel_count: 1, labels_type: 'png' }, { parcel_count: '2' }, { parcel_count: 1, printer: 'lp0' }]) {
      expectProblem(await running.api('POST', `/api/orders/${packing.id}/labels`, { token, body }), 422, 'VALIDATION_FAILED')
    }
    expectProblem(await running.api('GET', `/api/orders/${packing.id}/labels`, { token }), 404, 'NOT_FOUND')
    for (const id of [own.id, open.id, packing.id]) expect(await labelRequests(id)).toEqual([])
  })

  it('queues labels while the marketplace is down (202) and gets them once it is back, a shipment following them', async ({ running, token, synced, mallDeliveryInShipping, labelRequests }) => {
    const order = await mallDeliveryInShipping()
    try {
      await outage(running, '503')
      const queued = await running.api('POST', `/api/orders/${order.id}/labels`, { token, body: { parcel_count: 1, labels_type: 'zpl' } })
      expect(queued.status, queued.text).toBe(202)
      expect(queued.body.queued).toBe(true)
      // Labels on their way count: the packer may mark the parcel shipped now.
      const shipped = await changeStatus(running, token, order.id, { status: 'shipped' })
      expect(shipped.status, shipped.text).toBe(200)
      expect((await health(running)).outbox.waiting).toBe(2)
    } finally {
      await outage(running, 'off')
    }
    const labels = await eventually(async () => {
      const result = await running.api('GET', `/api/orders/${order.id}/labels`, { token })
      return result.status === 200 ? result.body : null
    }, 10_000)
    expect(labels).toMatchObject({ order_id: order.id, labels_type: 'zpl', parcel_count: 1 })
    expect(Buffer.from(labels.labels_raw, 'base64').toString('utf8')).toContain('^XA')
    await synced(order.id)
    expect((await running.mall('GET', `/v1/orders/${order.id}/consignments`)).body.data).toMatchObject({ parcel_count: 1, labels_type: 'zpl' })
    expect((await marketplaceOrder(running, order.id)).status).toBe('shipped')
    expect((await labelRequests(order.id)).filter((entry) => entry.status === 200)).toHaveLength(1)
  })

  it('answers a retried label request (same Idempotency-Key) with the first labels, asking the marketplace once', async ({ running, token, mallDeliveryInShipping, labelRequests }) => {
    const order = await mallDeliveryInShipping()
    const headers = { 'idempotency-key': 'labels-retry-0001' }
    const first = await running.api('POST', `/api/orders/${order.id}/labels`, { token, body: { parcel_count: 2, labels_type: 'pdf' }, headers })
    expect(first.status, first.text).toBe(200)
    const again = await running.api('POST', `/api/orders/${order.id}/labels`, { token, body: { parcel_count: 2, labels_type: 'pdf' }, headers })
    expect(again.status, again.text).toBe(200)
    expect(again.body.barcodes).toEqual(first.body.barcodes)
    expect(again.body.labels_raw).toBe(first.body.labels_raw)
    expect(await labelRequests(order.id)).toHaveLength(1)
    // The same key for another request is a mistake of the tablet, said so.
    expectProblem(await running.api('POST', `/api/orders/${order.id}/labels`, { token, body: { parcel_count: 3, labels_type: 'pdf' }, headers }), 422, 'IDEMPOTENCY_KEY_REUSED')
    // A new key is a new request: new labels replace the old ones.
    const fresh = await running.api('POST', `/api/orders/${order.id}/labels`, { token, body: { parcel_count: 3, labels_type: 'pdf' }, headers: { 'idempotency-key': 'labels-retry-0002' } })
    expect(fresh.status, fresh.text).toBe(200)
    expect(fresh.body.barcodes).toHaveLength(3)
    expect(await labelRequests(order.id)).toHaveLength(2)
  })

  it('serves the catalogue with barcodes, bins and photo URLs, by cursor and page, covering every SKU the orders name', async ({ running, token }) => {
    await eventually(async () => (await running.api('GET', '/api/products?limit=1', { token })).body.products.length > 0)
    const whole = await running.api('GET', '/api/products?limit=5000', { token })
    expect(whole.status).toBe(200)
    const products = whole.body.products as Record<string, any>[] // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON as sent
    expect(products.length).toBeGreaterThan(10)
    for (const product of products) {
      expect(product.sku).toBeTypeOf('string')
      expect(product.title).toBeTypeOf('string')
      expect(product.barcodes.length, product.sku).toBeGreaterThan(0)
      expect(product.barcodes.some(isGtin), `${product.sku} has no valid EAN/UPC: ${product.barcodes}`).toBe(true)
      expect(product.photo_url).toBe(`/media/products/${encodeURIComponent(product.sku)}`)
      expect(product).toHaveProperty('bin_location')
      expect(product).not.toHaveProperty('source_photo_url')
    }
    const skus = new Set(products.map((p) => p.sku))
    const { orders } = await pullAll(running, token, null)
    for (const order of orders) for (const item of order.items) expect(skus.has(item.id), `SKU ${item.id} of order ${order.id}`).toBe(true)

    const paged: string[] = []
    let cursor = ''
    for (let page = 0; page < 100; page++) {
      const result = await running.api('GET', `/api/products?limit=9${cursor ? `&since=${cursor}` : ''}`, { token })
      expect(result.status).toBe(200)
      expect(result.body.products.length).toBeLessThanOrEqual(9)
      paged.push(...result.body.products.map((p: { sku: string }) => p.sku))
      cursor = result.body.cursor
      if (!result.body.more) break
    }
    expect(paged).toEqual(products.map((p) => p.sku))
    expect((await running.api('GET', `/api/products?since=${cursor}`, { token })).body).toEqual({ products: [], cursor, more: false })
    expectProblem(await running.api('GET', '/api/products?since=x', { token }), 422, 'VALIDATION_FAILED')
  })

  it('serves each product photo as an image without a token', async ({ running, token }) => {
    const { products } = (await running.api('GET', '/api/products?limit=3', { token })).body
    for (const product of products) {
      const response = await fetch(running.origin + product.photo_url)
      expect(response.status, product.photo_url).toBe(200)
      expect(response.headers.get('content-type')).toMatch(/^image\//)
      expect(response.headers.get('cache-control')).toMatch(/max-age=\d+/)
      const body = Buffer.from(await response.arrayBuffer())
      expect(body.length).toBeGreaterThan(100)
      if (/svg/.test(response.headers.get('content-type') ?? '')) expect(body.toString('utf8')).toContain('<svg')
    }
    expectProblem(await running.api('GET', '/media/products/NO-SUCH-SKU'), 404, 'NOT_FOUND')
  })

  it('tells a listening tablet to pull when orders change, on the station or at the marketplace', async ({ running, token, synced }) => {
    expectProblem(await running.api('GET', '/api/events'), 401, 'UNAUTHENTICATED')
    await eventually(async () => (await running.api('GET', '/api/products?limit=1', { token })).body.products.length > 0)
    const catalogue = await running.api('GET', '/api/products?limit=5000', { token })
    const known = (await pullAll(running, token, '0', 5000, true)).cursor
    const stream = await openEvents(`${running.origin}/api/events`, { authorization: `Bearer ${token}` })
    try {
      expect(stream.response.status).toBe(200)
      expect(stream.response.headers.get('content-type')).toMatch(/^text\/event-stream/)
      const hello = await stream.next('hello', 0)
      const start = (hello.data as { orders: string }).orders
      expect(start).toMatch(/^\d+$/)
      expect(Number(start)).toBeGreaterThanOrEqual(Number(known))
      // The catalogue's cursor too, so a tablet knows whether its products are current.
      expect((hello.data as { products: string }).products).toBe(catalogue.body.cursor)

      const order = await newOrder(running, token)
      const from = stream.events.length
      expect((await changeStatus(running, token, order.id, { status: 'shipping', confirmed: true })).status).toBe(200)
      const event = await stream.next('orders', from)
      const cursor = (event.data as { cursor: string }).cursor
      expect(cursor).toMatch(/^\d+$/)
      expect(Number(cursor)).toBeGreaterThan(Number(start))
      const delta = await pullAll(running, token, start)
      expect(delta.orders.some((o) => o.id === order.id && o.status === 'shipping')).toBe(true)

      const other = await newOrder(running, token)
      await synced(order.id)
      const beforeCancel = stream.events.length
      expect((await running.mall('POST', `/_sim/orders/${other.id}/cancel`)).status).toBe(200)
      await stream.next('orders', beforeCancel)
      await eventually(async () => (await stationOrder(running, token, other.id)).order.status === 'cancelled')
    } finally {
      stream.close()
    }

    // EventSource cannot send headers: the stream takes the token as a query parameter.
    const byQuery = await openEvents(`${running.origin}/api/events?access_token=${encodeURIComponent(token)}`)
    try {
      expect(byQuery.response.status).toBe(200)
      await byQuery.next('hello', 0)
    } finally {
      byQuery.close()
    }
  })

  it('reports its health without a token: marketplace reachability, last poll and the outbox', async ({ running, token, synced }) => {
    const result = await running.api('GET', '/api/health')
    expect(result.status).toBe(200)
    expect(result.text).not.toMatch(/client_id|token/i)
    const body = result.body
    expect(body.status).toBe('ok')
    expect(Math.abs(Date.parse(body.time) - Date.now())).toBeLessThan(60_000)
    expect(body.marketplace).toMatchObject({ mode: 'demo', reachable: true, last_error: null })
    expect(Date.parse(body.marketplace.last_poll_at)).toBeGreaterThan(Date.now() - 60_000)
    expect(Date.parse(body.marketplace.last_poll_ok_at)).toBeGreaterThan(Date.now() - 60_000)
    expect(body.outbox).toMatchObject({ waiting: 0, oldest_waiting_since: null, last_error: null })
    expect(body.outbox).toHaveProperty('last_sent_at')
    const order = await newOrder(running, token)
    await changeStatus(running, token, order.id, { status: 'shipped', confirmed: true, ...tracking(order.id) })
    await synced(order.id)
    expect(Date.parse((await health(running)).outbox.last_sent_at)).toBeGreaterThan(Date.now() - 60_000)
  })
})
