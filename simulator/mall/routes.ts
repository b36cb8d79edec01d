import type { FastifyError, FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { isOrderStatus } from '#core/order.ts'
import { hungRequests, isLoopback, mediaBase, sendPhoto } from '../common/http.ts'
import { errorEnvelope, MallApiError } from './errors.ts'
import type { MarketplaceSimulator } from './marketplace.ts'
import type { RawQuery } from './query.ts'

/**
 * HTTP face of the simulated MALL Marketplace, mounted under a prefix (`/mall` on the station's
 * port): the orders API v1 at `{prefix}/v1`, product photos at `{prefix}/media`, and the control
 * API for demos and tests at `{prefix}/_sim`.
 */

type Params = Record<string, string>

function ok(data?: unknown, paging?: unknown) {
  const body: Record<string, unknown> = { result: { code: 200, status: 'OK' } }
  if (paging !== undefined) body.paging = paging
  if (data !== undefined) body.data = data
  return body
}

function sendError(reply: FastifyReply, status: number, code: string, message: string, attributes: Record<string, unknown> = {}) {
  return reply.code(status).type('application/json; charset=utf-8').send(errorEnvelope(status, code, message, attributes))
}

/** Maps framework errors (bad JSON, a body too large) to the marketplace's own envelope. */
function handleError(error: FastifyError | MallApiError, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof MallApiError) return sendError(reply, error.status, error.code, error.message, error.attributes)
  const status = error.statusCode ?? 500
  if (status === 413) {
    return sendError(reply, 413, 'PAYLOAD_TOO_LARGE', 'The request body is too large: send at most 1 MiB.')
  }
  if (status === 415) {
    return sendError(reply, 415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the body as JSON with Content-Type: application/json.')
  }
  if (status === 400) {
    return sendError(reply, 400, 'INVALID_JSON', `The request body is not valid JSON: ${error.message}.`)
  }
  request.log.error(error)
  return sendError(reply, 500, 'INTERNAL_ERROR', 'The marketplace simulator failed to answer; see its log.')
}

/** The orders and products API v1 behind `client_id`, subject to simulated outages. */
function apiRoutes(sim: MarketplaceSimulator, prefix: string): FastifyPluginAsync {
  return async (api) => {
    const hung = hungRequests(sim, api)

    api.addHook('preHandler', async (request, reply) => {
      const mode = sim.outageMode
      if (mode === 'hang') {
        if (request.method !== 'GET') recordWrite(request, null)
        return hung.hold(request)
      }
      if (mode === '503') {
        reply.header('retry-after', '2')
        return sendError(reply, 503, 'SERVICE_UNAVAILABLE', 'The marketplace is temporarily unavailable; try again later.')
      }
      if (mode === '429') {
        reply.header('retry-after', '1').header('x-ratelimit-remaining', '0').header('x-ratelimit-reset', '1')
        return sendError(reply, 429, 'TOO_MANY_REQUESTS', 'Too many requests: wait for the time in Retry-After and try again.')
      }
      const clientId = (request.query as RawQuery).client_id
      if (typeof clientId !== 'string' || clientId === '') {
        return sendError(reply, 401, 'UNAUTHORIZED', 'The client_id query parameter is missing: add your partner API key as ?client_id=….')
      }
      if (clientId !== sim.options.clientId) {
        return sendError(reply, 401, 'UNAUTHORIZED', 'The client_id is not valid: check the partner API key.')
      }
    })

    const recordWrite = (request: FastifyRequest, status: number | null) => {
      const url = new URL(request.url, 'http://simulator')
      const query = Object.fromEntries([...url.searchParams].filter(([key]) => key !== 'client_id'))
      sim.recordWrite({
        method: request.method,
        path: url.pathname.slice(prefix.length),
        query,
        body: request.body ?? null,
        status,
      })
    }
    api.addHook('onResponse', async (request, reply) => {
      if (request.method !== 'GET' && request.method !== 'HEAD' && !hung.has(request)) recordWrite(request, reply.statusCode)
    })

    const query = (request: FastifyRequest) => request.query as RawQuery

    api.get('/v1/orders', async (request) => {
      const page = sim.listOrders(query(request))
      return ok(page.data, page.paging)
    })
    api.get('/v1/orders/unconfirmed', async (request) => {
      const page = sim.listIds(query(request), 'unconfirmed')
      return ok(page.data, page.paging)
    })
    api.get('/v1/orders/stats', async (request) => ok(sim.stats(query(request))))
    api.get('/v1/orders/:id', async (request) => {
      const { id } = request.params as Params
      if (isOrderStatus(id)) {
        const page = sim.listIds(query(request), id)
        return ok(page.data, page.paging)
      }
      return ok(sim.getOrder(id ?? ''))
    })
    // MALL recommends the v2 detail; its shape is not public, so it answers as v1 does.
    api.get('/v2/orders/:id', async (request) => ok(sim.getOrder((request.params as Params).id ?? '')))
    api.put('/v1/orders/:id', async (request) => {
      sim.updateOrder((request.params as Params).id ?? '', request.body)
      return ok()
    })
    api.put('/v1/orders/:id/tracking', async (request) => {
      sim.updateTracking((request.params as Params).id ?? '', request.body)
      return ok()
    })
    api.put('/v1/orders/:id/items/:itemId/serial-numbers', async (request) => {
      const { id, itemId } = request.params as Params
      sim.updateSerialNumbers(id ?? '', itemId ?? '', request.body)
      return ok()
    })
    api.post('/v1/orders/labels', async (request) => ok(await sim.requestLabels(request.body)))
    api.post('/v1/orders/:id/labels', async (request) => ok(await sim.requestOrderLabels((request.params as Params).id ?? '', request.body)))
    api.get('/v1/orders/:id/consignments', async (request) => ok(sim.consignment((request.params as Params).id ?? '')))
    api.get('/v1/products', async (request) => {
      const page = sim.listProducts(query(request), mediaBase(request, prefix))
      return ok(page.data, page.paging)
    })
    api.get('/v1/products/:id', async (request) => ok(sim.getProduct((request.params as Params).id ?? '', mediaBase(request, prefix))))
  }
}

/** Whether the control API answers a caller at `address`: loopback only, unless `SIM_CONTROL=lan`. */
export function controlAllowed(address: string | undefined, from: 'loopback' | 'lan'): boolean {
  return from === 'lan' || isLoopback(address)
}

/** Demo and test controls: never mounted when the station talks to the real MALL. */
function controlRoutes(sim: MarketplaceSimulator, from: 'loopback' | 'lan'): FastifyPluginAsync {
  return async (control) => {
    // Anyone on the warehouse Wi-Fi could otherwise cancel orders or fake an outage in a demo.
    control.addHook('onRequest', async (request, reply) => {
      if (!controlAllowed(request.socket.remoteAddress, from)) {
        return sendError(reply, 403, 'FORBIDDEN', 'The simulator’s control API answers this computer only; start it with SIM_CONTROL=lan to allow the network.')
      }
    })
    control.post('/_sim/orders', async (request, reply) => reply.code(201).send(ok(sim.createOrder(request.body))))
    control.post('/_sim/orders/:id/cancel', async (request) => ok(sim.cancelByCustomer((request.params as Params).id ?? '')))
    control.post('/_sim/orders/:id/status', async (request) => {
      const order = sim.getOrder((request.params as Params).id ?? '')
      const body = (request.body ?? {}) as { status?: unknown }
      return ok(sim.marketplaceChange(order.id, { status: typeof body.status === 'string' ? body.status : null }))
    })
    control.post('/_sim/outage', async (request) => {
      const body = (request.body ?? {}) as { mode?: unknown }
      return ok({ mode: sim.setOutage(String(body.mode ?? '')) })
    })
    control.get('/_sim/outage', async () => ok({ mode: sim.outageMode }))
    control.get('/_sim/log', async (request) => {
      const after = Number((request.query as RawQuery).after ?? 0)
      return ok(sim.writeLog(Number.isFinite(after) ? after : 0))
    })
    control.post('/_sim/step', async () => ok({ happened: sim.step() }))
    control.put('/_sim/webhook', async (request) => {
      const body = (request.body ?? {}) as { url?: unknown; interval_ms?: unknown }
      const url = typeof body.url === 'string' && body.url !== '' ? body.url : null
      sim.setWebhook(url, typeof body.interval_ms === 'number' ? body.interval_ms : undefined)
      return ok({ url, interval_ms: sim.options.webhookIntervalMs })
    })
  }
}

/** Registers the simulated marketplace on `app` under `prefix` (for example `/mall`). */
export async function registerMarketplaceSimulator(
  app: FastifyInstance,
  sim: MarketplaceSimulator,
  prefix = '/mall',
  options: { controls?: boolean; controlFrom?: 'loopback' | 'lan' } = {},
): Promise<void> {
  await app.register(
    async (scope) => {
      scope.setErrorHandler(handleError)
      scope.setNotFoundHandler((request, reply) =>
        sendError(reply, 404, 'RESOURCE_NOT_FOUND', `There is no ${request.method} ${request.url.split('?')[0]} in the marketplace API.`),
      )
      scope.get('/media/products/:file', async (request, reply) => {
        const file = (request.params as Params).file ?? ''
        // The router has decoded the name already; decoding again would misread a literal %.
        const svg = file.endsWith('.svg') ? sim.photo(file.slice(0, -4)) : null
        if (svg === null) return sendError(reply, 404, 'RESOURCE_NOT_FOUND', `There is no product photo ${file}.`)
        return sendPhoto(reply, svg)
      })
      await scope.register(apiRoutes(sim, prefix))
      if (options.controls !== false) await scope.register(controlRoutes(sim, options.controlFrom ?? 'loopback'))
    },
    { prefix },
  )
}
