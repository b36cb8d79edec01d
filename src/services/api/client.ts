import type { MarketplaceAccountState, OrdersPage, PrintResult, ProductsPage, SignedIn, StationHealth, StationOrder, StationSession, StationSettings } from '#core/station-api.ts'
import type { Problem } from '#core/problem.ts'

/**
 * The station API over fetch. It only carries requests; what an answer means for the outbox is
 * decided by `classifyAnswer`. Every call has a timeout so a dead Wi-Fi never hangs the app.
 */

export interface ApiAnswer {
  /** HTTP status, or 0 when no answer came (offline, timeout, connection dropped). */
  status: number
  body: unknown
  retryAfterMs: number | null
  /** Why no answer came, when status is 0. */
  error?: string
}

export interface StationApiOptions {
  baseUrl?: string
  fetch?: typeof fetch
  timeoutMs?: number
}

export class ApiError extends Error {
  constructor(
    readonly answer: ApiAnswer,
    message: string,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

function retryAfter(header: string | null): number | null {
  if (!header) return null
  const seconds = Number(header)
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000)
  const at = Date.parse(header)
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now())
}

/** One change of a batch: the order, the key made when it was queued, and the change. */
export interface BatchChange {
  order_id: number
  key: string
  body: unknown
}

/** Told of every request: whether the station answered it, and when it was sent. */
export type AnswerObserver = (reached: boolean, startedAt: number) => void

export class StationApi {
  private readonly baseUrl: string
  private readonly fetchImpl: typeof fetch
  private readonly timeoutMs: number
  private readonly observers = new Set<AnswerObserver>()

  constructor(options: StationApiOptions = {}) {
    this.baseUrl = options.baseUrl ?? ''
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init))
    this.timeoutMs = options.timeoutMs ?? 15_000
  }

  /** Watches every request's fate (the connectivity bar follows real answers). Returns the unsubscribe. */
  observe(observer: AnswerObserver): () => void {
    this.observers.add(observer)
    return () => this.observers.delete(observer)
  }

  private tell(reached: boolean, startedAt: number): void {
    for (const observer of this.observers) observer(reached, startedAt)
  }

  async call(
    method: string,
    path: string,
    options: { token?: string | null; body?: unknown; headers?: Record<string, string>; timeoutMs?: number } = {},
  ): Promise<ApiAnswer> {
    const startedAt = Date.now()
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers }
    if (options.token) headers.authorization = `Bearer ${options.token}`
    if (options.body !== undefined) headers['content-type'] = 'application/json'
    let response: Response
    try {
      response = await this.fetchImpl(`${this.baseUrl}${path}`, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: AbortSignal.timeout(options.timeoutMs ?? this.timeoutMs),
        cache: 'no-store',
      })
    } catch (error) {
      this.tell(false, startedAt)
      return { status: 0, body: null, retryAfterMs: null, error: (error as Error).message }
    }
    this.tell(true, startedAt)
    let body: unknown = null
    try {
      const text = await response.text()
      body = text === '' ? null : (JSON.parse(text) as unknown)
    } catch {
      body = null
    }
    return { status: response.status, body, retryAfterMs: retryAfter(response.headers.get('retry-after')) }
  }

  private async expect<T>(answer: Promise<ApiAnswer>): Promise<T> {
    const result = await answer
    if (result.status >= 200 && result.status < 300) return result.body as T
    const problem = result.body as Partial<Problem> | null
    const detail =
      result.status === 0 ? 'The station cannot be reached: check the Wi-Fi.' : (problem?.detail ?? `The station answered ${result.status}.`)
    throw new ApiError(result, detail)
  }

  signIn(user: string, pin: string, deviceId: string): Promise<SignedIn> {
    return this.expect(this.call('POST', '/api/session', { body: { user, pin, device_id: deviceId } }))
  }

  signOut(token: string): Promise<ApiAnswer> {
    return this.call('DELETE', '/api/session', { token })
  }

  pullOrders(token: string, since: string | null, limit: number): Promise<OrdersPage> {
    const query = new URLSearchParams({ limit: String(limit) })
    if (since) query.set('since', since)
    return this.expect(this.call('GET', `/api/orders?${query}`, { token }))
  }

  /** The desk's history: every order the station holds, by the same cursor as the pull. */
  pullHistory(token: string, since: string | null, limit: number): Promise<OrdersPage> {
    const query = new URLSearchParams({ limit: String(limit) })
    if (since) query.set('since', since)
    return this.expect(this.call('GET', `/api/orders/history?${query}`, { token }))
  }

  /**
   * A file of order states for the station (`/api/imports/dry-run` tries it, `/api/imports`
   * applies it), sent as multipart/form-data as a script's `curl -F file=@…` sends it.
   */
  async importStates<T>(token: string, file: Blob, fileName: string, apply: boolean): Promise<T> {
    const startedAt = Date.now()
    const form = new FormData()
    form.append('file', file, fileName)
    let response: Response
    try {
      response = await this.fetchImpl(`${this.baseUrl}/api/imports${apply ? '' : '/dry-run'}`, {
        method: 'POST',
        headers: { accept: 'application/json', authorization: `Bearer ${token}` },
        body: form,
        signal: AbortSignal.timeout(Math.max(this.timeoutMs, 60_000)),
        cache: 'no-store',
      })
    } catch (error) {
      this.tell(false, startedAt)
      throw new ApiError({ status: 0, body: null, retryAfterMs: null, error: (error as Error).message }, 'The station cannot be reached: check the Wi-Fi.')
    }
    this.tell(true, startedAt)
    const text = await response.text()
    let body: unknown = null
    try {
      body = JSON.parse(text) as unknown
    } catch {
      body = null
    }
    return this.expect(Promise.resolve({ status: response.status, body, retryAfterMs: null }))
  }

  /** An applied import's report with the marketplace's answers so far. */
  importReport<T>(token: string, id: string): Promise<T> {
    return this.expect(this.call('GET', `/api/imports/${encodeURIComponent(id)}`, { token }))
  }

  /** Each packer's orders packed, items scanned and median time per order since an instant (the start of the day). */
  packingFigures(token: string, since: string): Promise<{ since: string; packers: { user: string; orders_packed: number; items_scanned: number; wrong_scans: number; median_seconds_per_order: number | null }[] }> {
    return this.expect(this.call('GET', `/api/figures/packers?since=${encodeURIComponent(since)}`, { token }))
  }

  /** In demo mode, a test order from the demo marketplace (`POST /api/test-orders`). */
  placeTestOrder(token: string): Promise<{ order_id: number; order: StationOrder | null }> {
    return this.expect(this.call('POST', '/api/test-orders', { token }))
  }

  /** An applied import's report as the CSV file the station makes of it. */
  async importReportCsv(token: string, id: string): Promise<Blob> {
    const response = await this.fetchImpl(`${this.baseUrl}/api/imports/${encodeURIComponent(id)}?format=csv`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(this.timeoutMs),
      cache: 'no-store',
    })
    if (!response.ok) throw new ApiError({ status: response.status, body: null, retryAfterMs: null }, 'The report could not be downloaded: try again.')
    return response.blob()
  }

  pullProducts(token: string, since: string | null, limit: number): Promise<ProductsPage> {
    const query = new URLSearchParams({ limit: String(limit) })
    if (since) query.set('since', since)
    return this.expect(this.call('GET', `/api/products?${query}`, { token }))
  }

  order(token: string, id: number): Promise<{ order: StationOrder; history: unknown[] }> {
    return this.expect(this.call('GET', `/api/orders/${id}`, { token }))
  }

  claim(token: string, orderId: number, key: string, deviceId: string): Promise<ApiAnswer> {
    return this.call('POST', `/api/orders/${orderId}/claim`, { token, body: {}, headers: { 'idempotency-key': key, 'x-device-id': deviceId } })
  }

  unclaim(token: string, orderId: number, key: string, deviceId: string): Promise<ApiAnswer> {
    return this.call('DELETE', `/api/orders/${orderId}/claim`, { token, headers: { 'idempotency-key': key, 'x-device-id': deviceId } })
  }

  flag(token: string, orderId: number, flag: unknown, key: string, deviceId: string): Promise<ApiAnswer> {
    return this.call('POST', `/api/orders/${orderId}/flag`, { token, body: flag, headers: { 'idempotency-key': key, 'x-device-id': deviceId } })
  }

  unflag(token: string, orderId: number, key: string, deviceId: string): Promise<ApiAnswer> {
    return this.call('DELETE', `/api/orders/${orderId}/flag`, { token, headers: { 'idempotency-key': key, 'x-device-id': deviceId } })
  }

  /** Writes a note on the order, or its new text; the same note sent again changes nothing. */
  putNote(token: string, orderId: number, noteId: string, text: string, deviceId: string): Promise<ApiAnswer> {
    return this.call('PUT', `/api/orders/${orderId}/notes/${encodeURIComponent(noteId)}`, { token, body: { text }, headers: { 'x-device-id': deviceId } })
  }

  deleteNote(token: string, orderId: number, noteId: string, deviceId: string): Promise<ApiAnswer> {
    return this.call('DELETE', `/api/orders/${orderId}/notes/${encodeURIComponent(noteId)}`, { token, headers: { 'x-device-id': deviceId } })
  }

  changeStatus(token: string, orderId: number, body: unknown, key: string, deviceId: string): Promise<ApiAnswer> {
    return this.call('POST', `/api/orders/${orderId}/status`, { token, body, headers: { 'idempotency-key': key, 'x-device-id': deviceId } })
  }

  /**
   * Up to 100 status changes in one request (`POST /api/changes`); each gets its own answer in
   * `results`, as the single call would give it.
   */
  changes(token: string, changes: BatchChange[], deviceId: string): Promise<ApiAnswer> {
    return this.call('POST', '/api/changes', { token, body: { changes }, headers: { 'x-device-id': deviceId } })
  }

  /**
   * Sends a batch and hands each change its own answer, in order, as the single call would give
   * it; or the one answer of a request that failed as a whole. An answer is matched by key: one
   * for another change is no answer for this one.
   */
  async sendChanges(token: string, changes: BatchChange[], deviceId: string): Promise<ApiAnswer[] | ApiAnswer> {
    const answer = await this.changes(token, changes, deviceId)
    const results = (answer.body as { results?: unknown } | null)?.results
    if (answer.status !== 200 || !Array.isArray(results)) return answer
    return changes.map((change, i) => {
      const result = results[i] as { key?: unknown; status?: unknown; body?: unknown } | undefined
      if (!result || result.key !== change.key || typeof result.status !== 'number') {
        return { status: 0, body: null, retryAfterMs: null, error: 'The station’s batch answer did not match the changes sent.' }
      }
      return { status: result.status, body: result.body ?? null, retryAfterMs: null }
    })
  }

  /** MALL Delivery labels: 200 with the labels, or 202 when the station queued the request for the marketplace. */
  requestLabels(token: string, orderId: number, body: { parcel_count: number; labels_type: 'pdf' | 'zpl' }, key: string, deviceId: string): Promise<ApiAnswer> {
    return this.call('POST', `/api/orders/${orderId}/labels`, { token, body, headers: { 'idempotency-key': key, 'x-device-id': deviceId } })
  }

  labels(token: string, orderId: number): Promise<ApiAnswer> {
    return this.call('GET', `/api/orders/${orderId}/labels`, { token })
  }

  /** The station's liveness and the marketplace's state; short timeout, no token: it is the probe. */
  health(): Promise<StationHealth> {
    return this.expect(this.call('GET', '/api/health', { timeoutMs: 5_000 }))
  }

  settings(token: string): Promise<StationSettings> {
    return this.expect(this.call('GET', '/api/settings', { token }))
  }

  saveSettings(token: string, settings: Partial<StationSettings>): Promise<StationSettings> {
    return this.expect(this.call('PUT', '/api/settings', { token, body: settings }))
  }

  /** The marketplace account's connection (team leads only); null when the marketplace has none to connect (MALL). */
  async marketplaceAccount(token: string): Promise<MarketplaceAccountState | null> {
    const answer = await this.call('GET', '/api/marketplace/account', { token })
    if (answer.status === 404) return null
    return this.expect(Promise.resolve(answer))
  }

  /** Starts connecting the marketplace account (team leads only): the answer has the code to enter. */
  connectMarketplaceAccount(token: string): Promise<MarketplaceAccountState> {
    return this.expect(this.call('POST', '/api/marketplace/account/connect', { token }))
  }

  /** The signed-in devices (team leads only). */
  sessions(token: string): Promise<{ sessions: StationSession[] }> {
    return this.expect(this.call('GET', '/api/sessions', { token }))
  }

  /** Ends one session: that tablet asks for a sign-in and keeps its waiting changes (team leads only). */
  revokeSession(token: string, id: string): Promise<null> {
    return this.expect(this.call('DELETE', `/api/sessions/${encodeURIComponent(id)}`, { token }))
  }

  /** Ends every session of a device (team leads only). */
  revokeDevice(token: string, deviceId: string): Promise<{ device_id: string; sessions_ended: number }> {
    return this.expect(this.call('DELETE', `/api/devices/${encodeURIComponent(deviceId)}`, { token }))
  }

  /** Sends ZPL to a network printer through the station (browsers cannot open raw sockets). */
  print(token: string, job: { printer_id: string; zpl: string; order_id?: number; copies?: number }, deviceId: string): Promise<PrintResult> {
    return this.expect(this.call('POST', '/api/print', { token, body: job, headers: { 'x-device-id': deviceId } }))
  }
}
