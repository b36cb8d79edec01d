import type { BasicOrder, Order, OrderStatus } from '#core/order.ts'
import type { MallProduct } from '#core/product.ts'
import { z } from 'zod'
import { MarketplaceError, type LabelsAnswer, type Marketplace } from '../marketplace.ts'
import { parseRetryAfter } from '../retry-after.ts'
import { normalizeBasicOrder, normalizeIdList, normalizeOrder, normalizeProduct } from './normalize.ts'

export interface MallClientOptions {
  /** Base URL without `/v1`, e.g. `https://mpapi.mallgroup.com` or `http://127.0.0.1:8080/mall`. */
  baseUrl: string
  clientId: string
  /** A request without an answer after this long counts as unavailable. */
  timeoutMs?: number
  fetch?: typeof fetch
}

interface Envelope {
  result?: { code?: number; status?: string; message?: string }
  paging?: { total?: number; pages?: number; size?: number; page?: number }
  data?: unknown
  errorCodes?: { errorCode?: string; message?: string }[]
}

const PAGE_SIZE = 1000

/**
 * The MALL Marketplace orders API v1 over real HTTP: the same code for the simulator and for the
 * real API. It knows the envelope, the error body and `Retry-After`; what to do about a failure is
 * for its callers, which read the `kind` of a {@link MarketplaceError}.
 */
export class MallClient implements Marketplace {
  private baseUrl: string
  private readonly clientId: string
  private readonly timeoutMs: number
  private readonly fetchImpl: typeof fetch

  constructor(options: MallClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '')
    this.clientId = options.clientId
    this.timeoutMs = options.timeoutMs ?? 15_000
    this.fetchImpl = options.fetch ?? fetch
  }

  /** How long a request may go unanswered; a write that timed out may still be applied within it. */
  get timeout(): number {
    return this.timeoutMs
  }

  /** Points the client elsewhere (the demo's simulator, once the station knows its port). */
  setBaseUrl(baseUrl: string): void {
    this.baseUrl = baseUrl.replace(/\/+$/, '')
  }

  private async request(method: string, path: string, query: Record<string, string | number> = {}, body?: unknown): Promise<Envelope> {
    const url = new URL(`${this.baseUrl}${path}`)
    url.searchParams.set('client_id', this.clientId)
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, String(value))
    let response: Response
    try {
      response = await this.fetchImpl(url, {
        method,
        headers: { 'content-type': 'application/json', accept: 'application/json', 'x-application-name': 'picking-station' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      })
    } catch (error) {
      const timedOut = (error as Error).name === 'TimeoutError'
      // A write that left without an answer may have been applied: the caller must check first.
      throw new MarketplaceError(
        'unavailable',
        timedOut ? `The marketplace did not answer within ${this.timeoutMs / 1000} s.` : `The marketplace cannot be reached (${(error as Error).message}).`,
        null,
        null,
        null,
        method !== 'GET',
      )
    }
    const text = await response.text().catch(() => '')
    let envelope: Envelope = {}
    try {
      envelope = text === '' ? {} : (JSON.parse(text) as Envelope)
    } catch {
      envelope = {}
    }
    if (response.ok) return envelope
    const message = envelope.result?.message ?? envelope.errorCodes?.[0]?.message ?? `The marketplace answered ${response.status}.`
    const code = envelope.errorCodes?.[0]?.errorCode ?? null
    const retryAfter = parseRetryAfter(response.headers.get('retry-after'))
    if (response.status === 401 || response.status === 403) throw new MarketplaceError('unauthorized', message, response.status, code)
    if (response.status === 429) throw new MarketplaceError('rate_limited', message, 429, code, retryAfter ?? 60_000)
    if (response.status >= 500 || response.status === 408) throw new MarketplaceError('unavailable', message, response.status, code, retryAfter)
    throw new MarketplaceError('refused', message, response.status, code)
  }

  /** Every page of `GET /v1/orders` with the given filters. */
  async listOrders(filters: Record<string, string> = {}): Promise<BasicOrder[]> {
    const orders: BasicOrder[] = []
    for (let page = 1; ; page++) {
      const envelope = await this.request('GET', '/v1/orders', { ...filters, filter: 'basic', page, page_size: PAGE_SIZE })
      const data = Array.isArray(envelope.data) ? envelope.data : []
      orders.push(...data.map(normalizeBasicOrder))
      const pages = Number(envelope.paging?.pages ?? 1)
      if (page >= pages || data.length === 0) return orders
    }
  }

  /** Every id of `GET /v1/orders/unconfirmed` or `/v1/orders/{status}`, in either list shape. */
  async listIds(which: 'unconfirmed' | OrderStatus, includeTest = true): Promise<number[]> {
    const ids: number[] = []
    for (let page = 1; ; page++) {
      const query: Record<string, string | number> = { page, page_size: PAGE_SIZE }
      if (includeTest) query.test = 1
      const envelope = await this.request('GET', `/v1/orders/${which}`, query)
      const pageIds = normalizeIdList(envelope.data ?? [])
      ids.push(...pageIds)
      const pages = Number(envelope.paging?.pages ?? 1)
      if (page >= pages || pageIds.length === 0) return ids
    }
  }

  async getOrder(id: number): Promise<Order> {
    const envelope = await this.request('GET', `/v1/orders/${id}`)
    return normalizeOrder(envelope.data)
  }

  /** The orders in play: live ones (open, shipping, shipped) and unconfirmed ones, test orders included. */
  async ordersInPlay(): Promise<BasicOrder[]> {
    const live = await this.listOrders({ status: 'in:open,shipping,shipped', test: '1' })
    const unconfirmed = await this.listOrders({ confirmed: 'false', test: '1' })
    return [...live, ...unconfirmed]
  }

  async changeStatus(id: number, body: Record<string, unknown>): Promise<void> {
    await this.request('PUT', `/v1/orders/${id}`, {}, body)
  }

  async changeTracking(id: number, body: { tracking_number: string; tracking_url: string }): Promise<void> {
    await this.request('PUT', `/v1/orders/${id}/tracking`, {}, body)
  }

  async requestLabels(id: number, request: { labels_type: 'pdf' | 'zpl'; parcel_count: number }): Promise<LabelsAnswer> {
    const body = { labels_type: request.labels_type, labels: [{ order_id: id, parcel_count: request.parcel_count }] }
    const envelope = await this.request('POST', '/v1/orders/labels', {}, body)
    const data = (envelope.data ?? {}) as { orders?: { order_id?: unknown; barcodes?: unknown }[]; labels_raw?: unknown }
    const orders = (data.orders ?? []).map((o) => ({ order_id: Number(o.order_id), barcodes: Array.isArray(o.barcodes) ? o.barcodes.map(String) : [] }))
    return {
      labels_raw: typeof data.labels_raw === 'string' ? data.labels_raw : '',
      barcodes: orders.find((o) => o.order_id === id)?.barcodes ?? [],
    }
  }

  /** The last labels of an order, or null when it has none. */
  async lastLabels(id: number): Promise<{ parcel_count: number; labels_type: string; labels_raw: string } | null> {
    try {
      const envelope = await this.request('GET', `/v1/orders/${id}/consignments`)
      const data = (envelope.data ?? {}) as { parcel_count?: unknown; labels_type?: unknown; labels_raw?: unknown }
      return { parcel_count: Number(data.parcel_count ?? 0), labels_type: String(data.labels_type ?? 'pdf'), labels_raw: String(data.labels_raw ?? '') }
    } catch (error) {
      if (error instanceof MarketplaceError && error.status === 404) return null
      throw error
    }
  }

  /** Every product of `GET /v1/products`, each read in full with its variants. */
  async listProductIds(): Promise<string[]> {
    const ids: string[] = []
    for (let page = 1; ; page++) {
      const envelope = await this.request('GET', '/v1/products', { page, page_size: PAGE_SIZE })
      const data = Array.isArray(envelope.data) ? envelope.data : []
      ids.push(...data.map((entry) => String(typeof entry === 'object' && entry !== null ? (entry as { id?: unknown }).id : entry)))
      const pages = Number(envelope.paging?.pages ?? 1)
      if (page >= pages || data.length === 0) return ids
    }
  }

  async getProduct(id: string): Promise<MallProduct> {
    const envelope = await this.request('GET', `/v1/products/${encodeURIComponent(id)}`)
    return normalizeProduct(envelope.data)
  }

  /**
   * The order ids MALL's webhook posts: a JSON array of ids (numbers or digit strings); null when
   * the body is not one. MALL signs nothing: the address carries the station's secret.
   */
  webhookIds(body: unknown): number[] | null {
    const ids = webhookBody.safeParse(body)
    return ids.success ? ids.data : null
  }
}

const webhookBody = z.array(z.union([z.number().int().positive(), z.string().regex(/^\d{1,16}$/).transform(Number)])).max(10_000)
