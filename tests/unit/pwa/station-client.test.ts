import { afterEach, describe, expect, it, vi } from 'vitest'
import { ApiError, StationApi } from '../../../src/services/api/client.ts'

/** What the tablet puts on the wire and how it reads what comes back (before classification). */

interface Request {
  url: string
  init: RequestInit
}

function fakeFetch(respond: (request: Request) => Response | Promise<Response>) {
  const requests: Request[] = []
  const fetch = (async (input: string | URL | globalThis.Request, init?: RequestInit) => {
    const request = { url: String(input), init: init ?? {} }
    requests.push(request)
    return respond(request)
  }) as typeof globalThis.fetch
  return { fetch, requests }
}

afterEach(() => {
  vi.useRealTimers()
})

describe('StationApi.changeStatus', () => {
  it('posts the change with its Idempotency-Key, the device and the session token', async () => {
    const { fetch, requests } = fakeFetch(() => new Response(JSON.stringify({ id: 1 }), { status: 200 }))
    const api = new StationApi({ baseUrl: 'http://station.local', fetch })
    const answer = await api.changeStatus('token-1', 10085339302, { status: 'shipping', confirmed: true }, 'key-abc-123', 'tablet-7')
    expect(answer).toEqual({ status: 200, body: { id: 1 }, retryAfterMs: null })
    expect(requests).toHaveLength(1)
    const [request] = requests
    expect(request!.url).toBe('http://station.local/api/orders/10085339302/status')
    expect(request!.init.method).toBe('POST')
    expect(request!.init.headers).toMatchObject({
      'idempotency-key': 'key-abc-123',
      'x-device-id': 'tablet-7',
      authorization: 'Bearer token-1',
      'content-type': 'application/json',
    })
    expect(JSON.parse(request!.init.body as string)).toEqual({ status: 'shipping', confirmed: true })
  })

  it('answers status 0 with the reason when the network fails (it never throws)', async () => {
    const { fetch } = fakeFetch(() => {
      throw new TypeError('Failed to fetch')
    })
    const answer = await new StationApi({ fetch }).changeStatus('t', 1, { status: 'shipping' }, 'key-12345678', 'd')
    expect(answer).toEqual({ status: 0, body: null, retryAfterMs: null, error: 'Failed to fetch' })
  })

  it('reads Retry-After given in seconds', async () => {
    const { fetch } = fakeFetch(
      () => new Response(JSON.stringify({ code: 'TOO_MANY_REQUESTS' }), { status: 429, headers: { 'retry-after': '30' } }),
    )
    const answer = await new StationApi({ fetch }).changeStatus('t', 1, { status: 'shipping' }, 'key-12345678', 'd')
    expect(answer).toMatchObject({ status: 429, retryAfterMs: 30_000, body: { code: 'TOO_MANY_REQUESTS' } })
  })

  it('reads Retry-After given as an HTTP date', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date('2024-07-15T08:00:00Z'))
    const { fetch } = fakeFetch(() => new Response(null, { status: 503, headers: { 'retry-after': 'Mon, 15 Jul 2024 08:02:00 GMT' } }))
    const answer = await new StationApi({ fetch }).changeStatus('t', 1, { status: 'shipping' }, 'key-12345678', 'd')
    expect(answer).toEqual({ status: 503, body: null, retryAfterMs: 120_000 })
  })

  it('keeps a body that is not JSON (a proxy’s error page) as null', async () => {
    const { fetch } = fakeFetch(() => new Response('<html>Bad gateway</html>', { status: 502 }))
    const answer = await new StationApi({ fetch }).changeStatus('t', 1, { status: 'shipping' }, 'key-12345678', 'd')
    expect(answer).toEqual({ status: 502, body: null, retryAfterMs: null })
  })
})

describe('StationApi pulls', () => {
  it('asks for the next page by cursor and throws the station’s sentence on a refusal', async () => {
    const { fetch, requests } = fakeFetch(({ url }) =>
      url.includes('since=42')
        ? new Response(JSON.stringify({ code: 'UNAUTHENTICATED', detail: 'Sign in again.' }), { status: 401 })
        : new Response(JSON.stringify({ orders: [], cursor: '42', more: true }), { status: 200 }),
    )
    const api = new StationApi({ fetch })
    expect(await api.pullOrders('t', null, 500)).toEqual({ orders: [], cursor: '42', more: true })
    const refused = api.pullOrders('t', '42', 500)
    await expect(refused).rejects.toBeInstanceOf(ApiError)
    await expect(refused).rejects.toThrow('Sign in again.')
    expect(requests.map((r) => r.url)).toEqual(['/api/orders?limit=500', '/api/orders?limit=500&since=42'])
  })
})

describe('StationApi.sendChanges', () => {
  const changes = [
    { order_id: 1, key: 'key-one-0001', body: { status: 'shipping', confirmed: true } },
    { order_id: 2, key: 'key-two-0002', body: { status: 'shipping', confirmed: true } },
  ]

  it('hands each change its own answer, matched by key; an answer for another change is none', async () => {
    const results = [
      { key: 'key-one-0001', order_id: 1, status: 200, body: { id: 1 } },
      { key: 'key-someone-else', order_id: 2, status: 200, body: { id: 2 } },
    ]
    const { fetch, requests } = fakeFetch(() => new Response(JSON.stringify({ results }), { status: 200 }))
    const answers = await new StationApi({ fetch }).sendChanges('t', changes, 'tablet-1')
    expect(requests[0]?.url).toBe('/api/changes')
    expect(JSON.parse(String(requests[0]?.init.body))).toEqual({ changes })
    expect(answers).toEqual([
      { status: 200, body: { id: 1 }, retryAfterMs: null },
      { status: 0, body: null, retryAfterMs: null, error: 'The station’s batch answer did not match the changes sent.' },
    ])
  })

  it('gives the one answer of a request that failed as a whole', async () => {
    const { fetch } = fakeFetch(() => new Response(JSON.stringify({ code: 'NOT_FOUND' }), { status: 404 }))
    expect(await new StationApi({ fetch }).sendChanges('t', changes, 'tablet-1')).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } })
  })
})
