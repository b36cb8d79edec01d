import { randomUUID } from 'node:crypto'
import type { FastifyError, FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { hungRequests, isLoopback, mediaBase, sendPhoto } from '../common/http.ts'
import { DEVICE_GRANT } from './auth.ts'
import { AllegroApiError, errorsBody, OAuthError } from './errors.ts'
import type { AllegroSimulator, RawQuery } from './marketplace.ts'

/**
 * HTTP face of the simulated Allegro, mounted under a prefix (`/allegro` on the station's port):
 *
 * - the REST API of `https://api.allegro.pl` at `{prefix}/…` (`{prefix}/order/checkout-forms`…);
 * - the OAuth server of `https://allegro.pl/auth/oauth/…` at `{prefix}/auth/oauth/…`, and the
 *   page where the seller approves a device (`https://allegro.pl/skojarz-aplikacje`) at
 *   `{prefix}/skojarz-aplikacje`;
 * - offer photos (Allegro's `https://a.allegroimg.com/…`) at `{prefix}/media/offers/…`;
 * - the control API for demos and tests at `{prefix}/_sim/…`.
 */

export const ALLEGRO_MEDIA_TYPE = 'application/vnd.allegro.public.v1+json'
const VND = `${ALLEGRO_MEDIA_TYPE}`

type Params = Record<string, string>

function sendErrors(reply: FastifyReply, error: AllegroApiError) {
  const body = errorsBody(error)
  // The shipment-management errors (OpenAPI `Error400`…) type `details` as a non-null text.
  if (reply.request.url.includes('/shipment-management/')) for (const entry of body.errors) entry.details ??= ''
  return reply.code(error.status).type(VND).send(body)
}

function sendOAuth(reply: FastifyReply, error: OAuthError) {
  return reply.code(error.status).type('application/json;charset=UTF-8').send({ error: error.error, error_description: error.message })
}

/** Maps refusals and framework errors (bad JSON, an unknown body type) to Allegro's own bodies. */
function handleError(error: FastifyError | AllegroApiError | OAuthError, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof AllegroApiError) return sendErrors(reply, error)
  if (error instanceof OAuthError) return sendOAuth(reply, error)
  const status = error.statusCode ?? 500
  if (status === 413) return sendErrors(reply, new AllegroApiError(413, 'PAYLOAD_TOO_LARGE', 'The request body is too large.'))
  if (status === 415) return sendErrors(reply, unsupportedMediaType(request.headers['content-type']))
  if (status === 400) return sendErrors(reply, new AllegroApiError(400, 'VALIDATION_ERROR', `The request body cannot be read: ${error.message}.`))
  request.log.error(error)
  return sendErrors(reply, new AllegroApiError(500, 'INTERNAL_SERVER_ERROR', 'The Allegro simulator failed to answer; see its log.'))
}

function unsupportedMediaType(contentType: string | undefined): AllegroApiError {
  return new AllegroApiError(415, 'UnsupportedMediaTypeException', `Content type ${contentType ?? '(none)'} is not supported: send the body as ${ALLEGRO_MEDIA_TYPE}.`)
}

/** Whether a request's Accept names Allegro's media type (or, for the label, a file). */
function acceptable(accept: string | undefined, alsoFile: boolean): boolean {
  const types = (accept ?? '').split(',').map((part) => part.split(';')[0]?.trim().toLowerCase())
  return types.includes(ALLEGRO_MEDIA_TYPE) || (alsoFile && types.includes('application/octet-stream'))
}

/** Outages and the connections they hold open, shared by the API and the OAuth server. */
function outageHooks(sim: AllegroSimulator, scope: FastifyInstance, record: (request: FastifyRequest, status: number | null) => void) {
  const hung = hungRequests(sim, scope)
  return {
    hung,
    async check(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
      const mode = sim.outageMode
      if (mode === 'hang') {
        if (request.method !== 'GET') record(request, null)
        return hung.hold(request)
      }
      if (mode === '500' || mode === '503') {
        const status = Number(mode)
        return sendErrors(reply, new AllegroApiError(status, status === 503 ? 'SERVICE_UNAVAILABLE' : 'INTERNAL_SERVER_ERROR', 'Allegro is temporarily unavailable; try again later.'))
      }
      return undefined
    },
  }
}

function logger(sim: AllegroSimulator, prefix: string) {
  return (request: FastifyRequest, status: number | null) => {
    const url = new URL(request.url, 'http://simulator')
    const path = url.pathname.slice(prefix.length)
    let body = request.body ?? null
    // The log keeps what a test counts, never the secrets of an OAuth call.
    if (path.startsWith('/auth/')) body = { grant_type: (body as Record<string, unknown> | null)?.grant_type ?? url.searchParams.get('grant_type') }
    const query = Object.fromEntries([...url.searchParams].filter(([key]) => !['refresh_token', 'device_code', 'code'].includes(key)))
    sim.recordWrite({ method: request.method, path, query, body, status })
  }
}

/** Allegro's OAuth server and its device approval page. */
function oauthRoutes(sim: AllegroSimulator, prefix: string): FastifyPluginAsync {
  return async (oauth) => {
    const record = logger(sim, prefix)
    const outage = outageHooks(sim, oauth, record)
    oauth.addHook('preHandler', async (request, reply) => outage.check(request, reply))
    oauth.addHook('onResponse', async (request, reply) => {
      if (request.method === 'POST' && request.url.startsWith(`${prefix}/auth/`) && !outage.hung.has(request)) record(request, reply.statusCode)
    })
    const params = (request: FastifyRequest): Record<string, string | undefined> => ({
      ...((request.body ?? {}) as Record<string, string>),
      ...(request.query as Record<string, string>),
    })
    const verificationUri = (request: FastifyRequest) => `${sim.options.verificationBase ?? mediaBase(request, prefix)}/skojarz-aplikacje`

    oauth.post('/auth/oauth/device', async (request, reply) => {
      sim.auth.checkClient(request.headers.authorization)
      const p = params(request)
      return reply.type('application/json;charset=UTF-8').send(sim.startDevice(p.client_id, p.scope, verificationUri(request)))
    })
    oauth.post('/auth/oauth/token', async (request, reply) => {
      sim.auth.checkClient(request.headers.authorization)
      const p = params(request)
      reply.type('application/json;charset=UTF-8').header('cache-control', 'no-store')
      if (p.grant_type === DEVICE_GRANT) return sim.auth.pollDevice(p.device_code)
      if (p.grant_type === 'refresh_token') return sim.auth.refresh(p.refresh_token)
      throw new OAuthError(400, 'unsupported_grant_type', `Unsupported grant type: ${p.grant_type ?? '(none)'}; the simulator knows ${DEVICE_GRANT} and refresh_token.`)
    })
    oauth.get('/skojarz-aplikacje', async (request, reply) => {
      const code = (request.query as RawQuery).code
      return reply.type('text/html; charset=utf-8').send(approvalPage(typeof code === 'string' ? code : '', null))
    })
    oauth.post('/skojarz-aplikacje', async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, string>
      const code = (body.code ?? '').trim()
      const allow = body.decision !== 'deny'
      const count = code === '' ? 0 : sim.decideDevice(code, allow)
      const message =
        count === 0
          ? `There is no pending request with code “${code}”. Check the code shown by the application, or start connecting again.`
          : allow
            ? 'The application is connected to your Allegro account. You may close this page.'
            : 'You refused the application. You may close this page.'
      return reply.code(count === 0 ? 404 : 200).type('text/html; charset=utf-8').send(approvalPage(code, message))
    })
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** The simulator's stand-in for allegro.pl/skojarz-aplikacje, where a seller approves a device. */
function approvalPage(code: string, message: string | null): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Allegro (simulator): connect an application</title>
<style>body{font:18px/1.5 system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem}
input,button{font:inherit;min-height:48px;padding:0 1rem}button{margin:.5rem .5rem 0 0}</style></head>
<body><h1>Connect an application to your Allegro account</h1>
<p>Simulated Allegro: this page stands for allegro.pl/skojarz-aplikacje.</p>
${message === null ? '' : `<p role="status">${escapeHtml(message)}</p>`}
<form method="post"><label for="code">Code shown by the application</label><br>
<input id="code" name="code" value="${escapeHtml(code)}" autocomplete="off" required><br>
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button></form></body></html>`
}

/** The REST API behind a bearer token, subject to outages and the rate limit. */
function apiRoutes(sim: AllegroSimulator, prefix: string): FastifyPluginAsync {
  return async (api) => {
    const record = logger(sim, prefix)
    const outage = outageHooks(sim, api, record)
    api.addHook('preHandler', async (request, reply) => {
      const stopped = await outage.check(request, reply)
      if (stopped) return stopped
      sim.countRequest()
      sim.auth.authenticate(request.headers.authorization)
      const label = request.url.startsWith(`${prefix}/shipment-management/label`)
      if (!acceptable(request.headers.accept, label)) {
        throw new AllegroApiError(406, 'NotAcceptableException', `Send the header Accept: ${ALLEGRO_MEDIA_TYPE}.`)
      }
      const contentType = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase()
      if (request.body !== undefined && contentType !== ALLEGRO_MEDIA_TYPE) throw unsupportedMediaType(request.headers['content-type'])
    })
    api.addHook('onResponse', async (request, reply) => {
      if (request.method !== 'GET' && request.method !== 'HEAD' && !outage.hung.has(request)) record(request, reply.statusCode)
    })
    const query = (request: FastifyRequest) => request.query as RawQuery
    const id = (request: FastifyRequest, name = 'id') => (request.params as Params)[name] ?? ''
    // Fastify names JSON answers application/json; Allegro names them with its own media type.
    api.addHook('onSend', async (_request, reply, payload) => {
      if (String(reply.getHeader('content-type') ?? '').startsWith('application/json')) reply.type(VND)
      return payload
    })

    api.get('/order/checkout-forms', async (request) => sim.listForms(query(request)))
    api.get('/order/checkout-forms/:id', async (request) => sim.getForm(id(request)))
    api.put('/order/checkout-forms/:id/fulfillment', async (request, reply) => {
      const revision = query(request)['checkoutForm.revision']
      sim.setFulfillment(id(request), Array.isArray(revision) ? revision[0] : revision, request.body)
      return reply.code(204).send()
    })
    api.get('/order/checkout-forms/:id/shipments', async (request) => sim.shipments(id(request)))
    api.post('/order/checkout-forms/:id/shipments', async (request, reply) => reply.code(201).send(sim.addShipment(id(request), request.body)))
    api.get('/order/carriers', async (request, reply) => {
      reply.header('cache-control', 'public, max-age=86400')
      return sim.carriers()
    })
    api.get('/order/carriers/:carrierId/tracking', async (request) => sim.tracking(id(request, 'carrierId'), query(request)))
    api.get('/order/events', async (request) => sim.events(query(request)))
    api.get('/order/event-stats', async () => sim.eventStats())
    api.post('/shipment-management/shipments/create-commands', async (request, reply) => {
      reply.header('retry-after', String(Math.max(1, Math.ceil(sim.options.commandDelayMs / 1000))))
      return sim.createCommand(request.body)
    })
    api.get('/shipment-management/shipments/create-commands/:commandId', async (request) => sim.commandStatus(id(request, 'commandId')))
    api.post('/shipment-management/shipments/cancel-commands', async (request) => sim.cancelCommand(request.body))
    api.get('/shipment-management/shipments/cancel-commands/:commandId', async (request) => sim.cancelCommandStatus(id(request, 'commandId')))
    api.get('/shipment-management/shipments/:shipmentId', async (request) => sim.wzaShipment(id(request, 'shipmentId')))
    api.post('/shipment-management/label', async (request, reply) => {
      const label = await sim.label(request.body)
      if (label === null) return reply.code(204).send()
      return reply
        .type('application/octet-stream')
        .header('content-disposition', `attachment; filename="label.${label.format.toLowerCase()}"`)
        .send(Buffer.from(label.bytes))
    })
    api.get('/sale/product-offers/:offerId', async (request) => sim.productOffer(id(request, 'offerId'), mediaBase(request, prefix)))
  }
}

/** Demo and test controls: never mounted when the station talks to the real Allegro. */
function controlRoutes(sim: AllegroSimulator, from: 'loopback' | 'lan'): FastifyPluginAsync {
  return async (control) => {
    // Anyone on the warehouse Wi-Fi could otherwise cancel orders or fake an outage in a demo.
    control.addHook('onRequest', async (request, reply) => {
      if (from !== 'lan' && !isLoopback(request.socket.remoteAddress)) {
        return sendErrors(reply, new AllegroApiError(403, 'FORBIDDEN', 'The simulator’s control API answers this computer only; start it with SIM_CONTROL=lan to allow the network.'))
      }
    })
    const id = (request: FastifyRequest) => (request.params as Params).id ?? ''
    const body = (request: FastifyRequest) => (request.body ?? {}) as Record<string, unknown>

    control.post('/_sim/orders', async (request, reply) => reply.code(201).send(sim.createOrder(request.body)))
    control.post('/_sim/orders/combine', async (request, reply) => reply.code(201).send(sim.combineOrders(request.body)))
    control.post('/_sim/orders/:id/fill-in', async (request) => sim.fillIn(id(request)))
    control.post('/_sim/orders/:id/pay', async (request) => sim.pay(id(request)))
    control.post('/_sim/orders/:id/cancel', async (request) => sim.cancelByBuyer(id(request), request.body))
    control.post('/_sim/orders/:id/modify', async (request) => sim.modifyByBuyer(id(request), request.body))
    control.post('/_sim/orders/:id/fulfillment', async (request) => sim.setFulfillmentAsAllegro(id(request), request.body))
    control.post('/_sim/tracking', async (request) => sim.addTrackingStatus(request.body))
    control.get('/_sim/offers', async () => ({ offers: sim.offers() }))
    control.get('/_sim/delivery-methods', async () => ({ deliveryMethods: sim.deliveryMethods() }))
    control.post('/_sim/tokens', async () => sim.issueTokens())
    control.post('/_sim/tokens/revoke', async () => ({ revoked: sim.revokeTokens() }))
    control.post('/_sim/device/approve', async (request) => {
      const code = body(request).user_code
      return { approved: sim.decideDevice(typeof code === 'string' ? code : null, true) }
    })
    control.post('/_sim/device/deny', async (request) => {
      const code = body(request).user_code
      return { denied: sim.decideDevice(typeof code === 'string' ? code : null, false) }
    })
    control.get('/_sim/outage', async () => ({ mode: sim.outageMode }))
    control.post('/_sim/outage', async (request) => ({ mode: sim.setOutage(String(body(request).mode ?? '')) }))
    control.get('/_sim/rate-limit', async () => ({ blockedUntil: sim.blockedUntil, perMinute: sim.options.rateLimitPerMinute }))
    control.post('/_sim/rate-limit/block', async (request) => {
      const seconds = body(request).seconds ?? sim.options.rateLimitBlockSeconds
      if (typeof seconds !== 'number' || !(seconds > 0)) throw new AllegroApiError(400, 'VALIDATION_ERROR', 'seconds must be a positive number.', { path: 'seconds' })
      return sim.blockRequests(seconds)
    })
    control.delete('/_sim/rate-limit/block', async () => {
      sim.unblockRequests()
      return { blockedUntil: null }
    })
    control.get('/_sim/events/faults', async () => sim.eventFaults)
    control.put('/_sim/events/faults', async (request) => sim.setEventFaults(request.body))
    control.post('/_sim/events/replay', async (request) => {
      const ids = body(request).ids
      if (!Array.isArray(ids) || ids.some((e) => typeof e !== 'string')) throw new AllegroApiError(400, 'VALIDATION_ERROR', 'ids must be a list of event ids.', { path: 'ids' })
      return { events: sim.replayEvents(ids as string[]) }
    })
    control.get('/_sim/log', async (request) => {
      const after = Number((request.query as RawQuery).after ?? 0)
      return { entries: sim.writeLog(Number.isFinite(after) ? after : 0) }
    })
    control.post('/_sim/step', async () => ({ happened: sim.step() }))
    control.post('/_sim/reset', async () => {
      sim.reset()
      return { reset: true }
    })
  }
}

/** Registers the simulated Allegro on `app` under `prefix` (for example `/allegro`). */
export async function registerAllegroSimulator(
  app: FastifyInstance,
  sim: AllegroSimulator,
  prefix = '/allegro',
  options: { controls?: boolean; controlFrom?: 'loopback' | 'lan' } = {},
): Promise<void> {
  await app.register(
    async (scope) => {
      for (const type of [ALLEGRO_MEDIA_TYPE, 'application/json']) {
        if (scope.hasContentTypeParser(type)) continue
        scope.addContentTypeParser(type, { parseAs: 'string' }, (_request, text, done) => {
          try {
            done(null, text === '' ? undefined : JSON.parse(text as string))
          } catch (error) {
            done(Object.assign(error as Error, { statusCode: 400 }), undefined)
          }
        })
      }
      if (!scope.hasContentTypeParser('application/x-www-form-urlencoded')) {
        scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, text, done) => {
          done(null, Object.fromEntries(new URLSearchParams(text as string)))
        })
      }
      scope.setErrorHandler(handleError)
      scope.setNotFoundHandler((request, reply) =>
        sendErrors(reply, new AllegroApiError(404, 'NotFoundException', `There is no ${request.method} ${request.url.split('?')[0]} in the Allegro API.`)),
      )
      scope.addHook('onSend', async (_request, reply, payload) => {
        reply.header('trace-id', randomUUID())
        return payload
      })
      scope.get('/media/offers/:offerId/:file', async (request, reply) => {
        const { offerId = '', file = '' } = request.params as Params
        const match = /^(\d+)\.svg$/.exec(file)
        const svg = match ? sim.photo(offerId, Number(match[1])) : null
        if (svg === null) return sendErrors(reply, new AllegroApiError(404, 'NotFoundException', `There is no image ${file} of offer ${offerId}.`))
        return sendPhoto(reply, svg)
      })
      await scope.register(oauthRoutes(sim, prefix))
      await scope.register(apiRoutes(sim, prefix))
      if (options.controls !== false) await scope.register(controlRoutes(sim, options.controlFrom ?? 'loopback'))
    },
    { prefix },
  )
}
