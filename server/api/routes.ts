import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import type { Connector } from '../marketplace/connector.ts'
import { MarketplaceError, type Marketplace } from '../marketplace/marketplace.ts'
import type { OutboxForwarder } from '../marketplace/forwarder.ts'
import type { StatusChanges } from '../orders/status-changes.ts'
import type { PhotoCache } from '../photos.ts'
import type { AuditLog } from '../store/audit.ts'
import type { StationDatabase } from '../store/database.ts'
import type { LabelStore } from '../store/labels.ts'
import type { OrderRepository } from '../store/orders.ts'
import type { Outbox } from '../store/outbox.ts'
import type { ProductRepository } from '../store/products.ts'
import { clientAddress } from '../store/sign-in-limits.ts'
import { IdempotencyStore, type Session, type UserStore } from '../store/users.ts'
import type { SettingsStore } from '../store/settings.ts'
import { MAX_PENDING_WEBHOOK_IDS } from '../marketplace/connector.ts'
import { isWebhookSecret, webhookPath, webhookSecret } from '../marketplace/webhook-secret.ts'
import { PHOTO_CSP } from '../security-headers.ts'
import { deviceId } from './device.ts'
import { LEAD_ONLY_DETAIL, leadOrOwner, ROUTE_ACCESS, routeKey } from './roles.ts'
import type { EventHub } from './events.ts'
import { PROBLEM_TYPE } from '#core/problem.ts'
import { sendProblem } from './problem.ts'
import { MAX_ZPL_BYTES, registerSettingsAndPrinting } from './settings-and-printing.ts'
import { formatTime } from '#core/datetime.ts'
import { CLAIM_MINUTES, FLAG_REASONS, type OrderFlag } from '#core/station-api.ts'

/** The station API (`/api`), as DESIGN.md's table has it. */

export interface ApiDeps {
  db: StationDatabase
  mode: 'demo' | 'mall'
  users: UserStore
  orders: OrderRepository
  products: ProductRepository
  outbox: Outbox
  audit: AuditLog
  labels: LabelStore
  changes: StatusChanges
  events: EventHub
  connector: Connector
  forwarder: OutboxForwarder
  client: Marketplace
  photos: PhotoCache
  settings: SettingsStore
  idempotency: IdempotencyStore
  /** How long connecting to a label printer and sending it a job may take. */
  printTimeoutMs: number
  clock: () => number
}

declare module 'fastify' {
  interface FastifyRequest {
    session: Session | null
  }
}

const DEFAULT_LIMIT = 500
const MAX_LIMIT = 5000

function bearer(request: FastifyRequest): string | null {
  const header = request.headers.authorization
  if (typeof header === 'string' && /^Bearer\s+\S+$/i.test(header)) return header.replace(/^Bearer\s+/i, '')
  // EventSource cannot send headers: the event stream alone takes the token as a query parameter.
  const query = request.query as Record<string, unknown>
  if (request.url.startsWith('/api/events') && typeof query.access_token === 'string') return query.access_token
  return null
}

function parseCursor(raw: unknown): number | null | 'invalid' {
  if (raw === undefined || raw === '') return null
  if (typeof raw !== 'string' || !/^\d{1,15}$/.test(raw)) return 'invalid'
  return Number(raw)
}

function parseLimit(raw: unknown): number | 'invalid' {
  if (raw === undefined || raw === '') return DEFAULT_LIMIT
  if (typeof raw !== 'string' || !/^\d{1,6}$/.test(raw) || Number(raw) < 1) return 'invalid'
  return Math.min(MAX_LIMIT, Number(raw))
}

function parseOrderId(raw: string | undefined): number | null {
  return raw !== undefined && /^\d{1,16}$/.test(raw) ? Number(raw) : null
}

const signInBody = z.object({
  user: z.string().min(1).max(100),
  pin: z.string().min(1).max(64),
  device_id: z.string().regex(/^[\w.:-]{1,100}$/).optional(),
})

/** The most changes one `POST /api/changes` takes. */
export const MAX_BATCH = 100

const changesBody = z.object({
  changes: z
    .array(
      z.object({
        order_id: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
        key: z.string().regex(/^[\w.:-]{8,200}$/),
        body: z.unknown(),
        if_match: z.union([z.string().max(40), z.number().int().nonnegative()]).optional(),
      }),
    )
    .min(1)
    .max(MAX_BATCH),
})

const labelsBody = z
  .object({
    parcel_count: z.number().int().min(1).max(100),
    labels_type: z.enum(['pdf', 'zpl']).default('pdf'),
  })
  .strict()

const flagBody = z
  .object({
    reason: z.enum(FLAG_REASONS),
    sku: z.string().min(1).max(100).optional(),
    note: z.string().max(500).optional(),
  })
  .strict()

/** The image types a product photo may have; anything else the marketplace sends is not served. */
const PHOTO_TYPES = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/avif', 'image/svg+xml'])

export async function registerApi(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  app.decorateRequest('session', null)

  const noSuchOrder = (request: FastifyRequest, reply: FastifyReply) =>
    sendProblem(reply, 404, 'NOT_FOUND', `There is no order ${(request.params as { id?: string }).id} on this station.`)

  /** The order the path names, or null once a 404 has been sent. */
  const findOrder = (request: FastifyRequest, reply: FastifyReply) => {
    const id = parseOrderId((request.params as { id?: string }).id)
    const row = id === null ? null : deps.orders.get(id)
    if (id === null || !row) {
      void noSuchOrder(request, reply)
      return null
    }
    return { id, row }
  }

  const secret = webhookSecret(deps.db)

  await app.register(async (api) => {
    // Every route says who may call it in ROUTE_ACCESS (roles.ts): one without a line there
    // stops the start.
    api.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) {
        if (method === 'HEAD' || method === 'OPTIONS') continue
        if (!ROUTE_ACCESS[routeKey(method, route.url)]) throw new Error(`${method} ${route.url} is missing from ROUTE_ACCESS in server/api/roles.ts`)
      }
    })

    api.setErrorHandler((error: FastifyError, request, reply) => {
      const status = error.statusCode ?? 500
      if (status === 413) {
        if (request.url.split('?')[0] === '/api/print') {
          return sendProblem(reply, 413, 'PAYLOAD_TOO_LARGE', `The print job is too large: send at most ${MAX_ZPL_BYTES / 1024 / 1024} MB of ZPL, or print it as several jobs.`)
        }
        return sendProblem(reply, 413, 'PAYLOAD_TOO_LARGE', 'The request body is too large: send at most 1 MiB.')
      }
      if (status === 415) return sendProblem(reply, 415, 'VALIDATION_FAILED', 'Send the body as JSON with Content-Type: application/json.')
      if (status >= 400 && status < 500) return sendProblem(reply, 400, 'VALIDATION_FAILED', `The request could not be read: ${error.message}.`)
      request.log.error(error)
      console.error(error)
      return sendProblem(reply, 500, 'INTERNAL_ERROR', 'The station failed to answer; it is logged. Try again, and tell the team lead if it keeps happening.')
    })
    api.setNotFoundHandler((request, reply) =>
      sendProblem(reply, 404, 'NOT_FOUND', `There is no ${request.method} ${request.url.split('?')[0]} in the station API.`),
    )

    api.addHook('onRequest', async (request, reply) => {
      // A path no route has is answered 404 only to a signed-in caller, as before.
      const url = request.routeOptions.url
      const key = url === undefined ? '' : routeKey(request.method, url)
      const access = ROUTE_ACCESS[key] ?? 'signed-in'
      if (access === 'open') return
      if (access === 'webhook') {
        if (isWebhookSecret((request.query as Record<string, unknown>).secret, secret)) return
        return sendProblem(reply, 401, 'UNAUTHENTICATED', 'The webhook address needs the station’s secret: copy the whole address from the station’s settings (GET /api/settings, as a team lead).')
      }
      const token = bearer(request)
      const session = token ? deps.users.authenticate(token, clientAddress(request.ip)) : null
      if (!session) {
        return sendProblem(reply, 401, 'UNAUTHENTICATED', 'Sign in again: the session is missing or has expired.')
      }
      request.session = session
      if (access === 'lead' && session.user.role !== 'lead') {
        return sendProblem(reply, 403, 'FORBIDDEN', LEAD_ONLY_DETAIL[key] ?? 'Only a team lead can do this: ask the team lead.')
      }
    })

    api.post('/session', async (request, reply) => {
      const parsed = signInBody.safeParse(request.body)
      if (!parsed.success) return sendProblem(reply, 422, 'VALIDATION_FAILED', 'Sign in with a user name and a PIN.')
      const result = await deps.users.signIn(parsed.data.user, parsed.data.pin, {
        deviceId: parsed.data.device_id ?? deviceId(request),
        address: clientAddress(request.ip),
      })
      if (!result.ok) {
        if (result.reason === 'locked') {
          const seconds = Math.max(1, Math.ceil((result.retryAfterMs ?? 60_000) / 1000))
          reply.header('retry-after', String(seconds))
          const wait = seconds < 90 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`
          return sendProblem(reply, 429, 'TOO_MANY_ATTEMPTS', `Too many wrong PINs: wait ${wait}, then try again, or ask the team lead.`, { retry_after_seconds: seconds })
        }
        return sendProblem(reply, 401, 'UNAUTHENTICATED', 'The user name or PIN is wrong: check both and try again.')
      }
      return { token: result.token, user: result.session.user, expires_at: result.session.expires_at }
    })
    api.get('/session', async (request) => ({ user: request.session?.user, expires_at: request.session?.expires_at }))
    api.delete('/session', async (request, reply) => {
      const token = bearer(request)
      if (token) deps.users.signOut(token)
      return reply.code(204).send()
    })

    api.get('/orders', async (request, reply) => {
      const query = request.query as Record<string, unknown>
      const since = parseCursor(query.since)
      const limit = parseLimit(query.limit)
      if (since === 'invalid') return sendProblem(reply, 422, 'VALIDATION_FAILED', 'since must be a cursor this station gave out (digits).')
      if (limit === 'invalid') return sendProblem(reply, 422, 'VALIDATION_FAILED', `limit must be a whole number from 1 to ${MAX_LIMIT}.`)
      const includeTest = query.test === '1' || query.test === 'true'
      const page = deps.orders.delta(since, limit, includeTest)
      return reply.type('application/json; charset=utf-8').send(`{"orders":${page.ordersJson},"cursor":"${page.cursor}","more":${page.more}}`)
    })

    api.get('/orders/:id', async (request, reply) => {
      const found = findOrder(request, reply)
      if (!found) return reply
      const { id, row } = found
      return { order: deps.orders.toApi(row), history: deps.audit.forOrder(id) }
    })

    api.post('/orders/:id/status', async (request, reply) => {
      const id = parseOrderId((request.params as { id?: string }).id)
      if (id === null) return noSuchOrder(request, reply)
      const key = request.headers['idempotency-key']
      if (typeof key !== 'string' || !/^[\w.:-]{8,200}$/.test(key)) {
        return sendProblem(
          reply,
          428,
          'IDEMPOTENCY_KEY_REQUIRED',
          'Send an Idempotency-Key header (8–200 letters, digits, - _ . :) made once for this change and reused on every retry.',
        )
      }
      const ifMatch = request.headers['if-match']
      const session = request.session as Session
      const answer = deps.changes.change({
        orderId: id,
        body: request.body,
        idempotencyKey: key,
        ifMatch: typeof ifMatch === 'string' ? ifMatch : undefined,
        session,
        deviceId: deviceId(request),
      })
      if (answer.status === 200) {
        deps.events.notify('orders')
        deps.forwarder.kick()
        return reply.code(200).type('application/json; charset=utf-8').send(answer.json)
      }
      return reply.code(answer.status).type(PROBLEM_TYPE).send(answer.json)
    })

    // A batch of status changes (the tablet's outbox drains with it): each change has its own
    // key and its own answer, as `POST /orders/:id/status` would give it; the batch is committed
    // as one.
    api.post('/changes', async (request, reply) => {
      const parsed = changesBody.safeParse(request.body)
      if (!parsed.success) {
        return sendProblem(
          reply,
          422,
          'VALIDATION_FAILED',
          `Send {"changes": [{"order_id", "key", "body", "if_match"?}]} with 1 to ${MAX_BATCH} changes, each key 8–200 letters, digits, - _ . :.`,
        )
      }
      const session = request.session as Session
      const device = deviceId(request)
      const answers = deps.changes.changeMany(
        parsed.data.changes.map((change) => ({
          orderId: change.order_id,
          body: change.body,
          idempotencyKey: change.key,
          ifMatch: change.if_match === undefined ? undefined : String(change.if_match),
          session,
          deviceId: device,
        })),
      )
      if (answers.some((answer) => answer.status === 200)) {
        deps.events.notify('orders')
        deps.forwarder.kick()
      }
      // The answers are JSON already: put together, not parsed and written again.
      const results = answers.map(
        (answer, i) => `{"key":${JSON.stringify(parsed.data.changes[i]?.key)},"order_id":${parsed.data.changes[i]?.order_id},"status":${answer.status},"body":${answer.json}}`,
      )
      return reply.code(200).type('application/json; charset=utf-8').send(`{"results":[${results.join(',')}]}`)
    })

    // Claims: who is packing an order. Advisory (the status rules stand on their own), but a
    // second packer is told, with who and until when, before doing the work twice.
    api.post('/orders/:id/claim', async (request, reply) => {
      const found = findOrder(request, reply)
      if (!found) return reply
      const { id, row } = found
      const user = request.session?.user.name ?? 'unknown'
      const device = deviceId(request)
      const result = deps.db.transaction(() => {
        const taken = deps.orders.takeClaim(id, user, device, CLAIM_MINUTES)
        if (taken.granted) {
          deps.audit.record({ order_id: id, actor: 'user', user, device_id: device, action: 'claim', details: { until: taken.claim.until }, marketplace_state: 'not_needed' })
        }
        return taken
      })()
      const order = deps.orders.toApi(deps.orders.get(id) ?? row)
      if (!result.granted) {
        const holder = result.claim
        // On the warehouse's clock, as every time a person reads.
        const until = formatTime(Date.parse(holder.until), deps.settings.get().time_zone)
        return sendProblem(
          reply,
          409,
          'ORDER_CLAIMED',
          `Order ${id} is already being packed by ${holder.user}${holder.device_id ? ` on ${holder.device_id}` : ''} (until ${until}): take another order, or ask them.`,
          { order, claim: holder },
        )
      }
      deps.events.notify('orders')
      return order
    })

    api.delete('/orders/:id/claim', async (request, reply) => {
      const found = findOrder(request, reply)
      if (!found) return reply
      const { id, row } = found
      const claim = deps.orders.claim(id)
      const user = request.session?.user
      if (claim && claim.user !== user?.name && user?.role !== 'lead') {
        return sendProblem(reply, 403, 'NOT_YOUR_CLAIM', `Only ${claim.user} or a team lead can release this order.`)
      }
      deps.orders.releaseClaim(id)
      deps.events.notify('orders')
      return deps.orders.toApi(deps.orders.get(id) ?? row)
    })

    // A problem with an order (a short pick): the order stays open, flagged with the reason.
    api.post('/orders/:id/flag', async (request, reply) => {
      const found = findOrder(request, reply)
      if (!found) return reply
      const { id, row } = found
      const parsed = flagBody.safeParse(request.body ?? {})
      if (!parsed.success) {
        return sendProblem(reply, 422, 'VALIDATION_FAILED', `Say what is wrong: reason is one of ${FLAG_REASONS.join(', ')}; a note may follow.`)
      }
      const flag: OrderFlag = {
        reason: parsed.data.reason,
        sku: parsed.data.sku ?? null,
        note: parsed.data.note ?? null,
        user: request.session?.user.name ?? 'unknown',
        device_id: deviceId(request),
        flagged_at: new Date(deps.clock()).toISOString(),
      }
      deps.db.transaction(() => {
        deps.orders.setFlag(id, flag)
        deps.audit.record({ order_id: id, actor: 'user', user: flag.user, device_id: flag.device_id, action: 'flag', details: { ...flag }, marketplace_state: 'not_needed' })
      })()
      deps.events.notify('orders')
      return deps.orders.toApi(deps.orders.get(id) ?? row)
    })

    api.delete('/orders/:id/flag', async (request, reply) => {
      const found = findOrder(request, reply)
      if (!found) return reply
      const { id, row } = found
      const flagged = deps.orders.toApi(row).flag
      if (flagged && !leadOrOwner(request.session, flagged.user)) {
        return sendProblem(reply, 403, 'FORBIDDEN', `Only ${flagged.user}, who reported the problem, or a team lead can clear it.`)
      }
      deps.db.transaction(() => {
        if (deps.orders.clearFlag(id)) {
          deps.audit.record({ order_id: id, actor: 'user', user: request.session?.user.name ?? null, device_id: deviceId(request), action: 'flag_cleared', details: {}, marketplace_state: 'not_needed' })
        }
      })()
      deps.events.notify('orders')
      return deps.orders.toApi(deps.orders.get(id) ?? row)
    })

    api.delete('/orders/:id/conflict', async (request, reply) => {
      const found = findOrder(request, reply)
      if (!found) return reply
      const { id, row } = found
      if (row.conflict !== null) {
        const owner = (JSON.parse(row.conflict) as { user?: string | null }).user ?? null
        if (!leadOrOwner(request.session, owner)) {
          return sendProblem(reply, 403, 'FORBIDDEN', `Only ${owner ?? 'a team lead'}${owner ? ', whose change it was, or a team lead' : ''} can dismiss this conflict.`)
        }
        deps.db.transaction(() => {
          deps.orders.clearConflict(id)
          deps.audit.record({
            order_id: id,
            actor: 'user',
            user: request.session?.user.name ?? null,
            device_id: deviceId(request),
            action: 'conflict_dismissed',
            details: { conflict: JSON.parse(row.conflict as string) as unknown },
            marketplace_state: 'not_needed',
          })
        })()
        deps.events.notify('orders')
      }
      return deps.orders.toApi(deps.orders.get(id) ?? row)
    })

    api.post('/orders/:id/labels', async (request, reply) => {
      const found = findOrder(request, reply)
      if (!found) return reply
      const { id, row } = found
      const parsed = labelsBody.safeParse(request.body ?? {})
      if (!parsed.success) {
        return sendProblem(reply, 422, 'VALIDATION_FAILED', 'Say how many parcels (parcel_count, 1 to 100) and the label type (pdf or zpl).')
      }
      // A tablet's retry of a request whose answer it lost: asking the marketplace again would
      // void the labels of the first request, so the same key gets those labels (or, while the
      // request still waits for the marketplace, the same 202).
      const key = request.headers['idempotency-key']
      const keyed = typeof key === 'string' && /^[\w.:-]{8,200}$/.test(key) ? key : null
      const requestHash = IdempotencyStore.hashRequest({ order: id, labels: parsed.data })
      if (keyed) {
        const seen = deps.idempotency.find(keyed)
        if (seen && seen.request_hash !== requestHash) {
          return sendProblem(reply, 422, 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used for another request: make a new key for each label request.')
        }
        if (seen) {
          const saved = deps.labels.get(id)
          if (saved) return { order_id: id, ...saved }
          return reply.code(202).send({
            queued: true,
            detail: 'The marketplace cannot be reached now: the label request waits in the station’s queue and is sent when it is back.',
          })
        }
      }
      const remember = (status: number) => {
        if (keyed && request.session) deps.idempotency.save(request.session.user.id, keyed, requestHash, status, '{}')
      }
      const order = deps.orders.order(row)
      if (!order.mdp) {
        return sendProblem(reply, 422, 'LABELS_NOT_MALL_DELIVERY', 'This order does not go by MALL Delivery: print your own carrier’s label for it.')
      }
      if (order.status !== 'shipping' && order.status !== 'shipped') {
        return sendProblem(reply, 422, 'LABELS_WRONG_STATUS', `Start packing the order first: labels are printed while it is shipping (it is ${order.status}).`)
      }
      const audited = {
        order_id: id,
        actor: 'user' as const,
        user: request.session?.user.name ?? null,
        device_id: deviceId(request),
        action: 'labels',
        details: { parcel_count: parsed.data.parcel_count, labels_type: parsed.data.labels_type },
      }
      const queue = (maybeSent = false, why = 'The marketplace cannot be reached now: the label request waits in the station’s queue and is sent when it is back.') => {
        deps.db.transaction(() => {
          const auditId = deps.audit.record({ ...audited, marketplace_state: 'pending' })
          // Labels asked for without an answer may exist already: asking again would void them.
          deps.outbox.add(id, 'labels', parsed.data, auditId, maybeSent ? { maybeSent, notBefore: deps.clock() + deps.client.timeout } : {})
          remember(202)
        })()
        deps.forwarder.kick()
        return reply.code(202).send({ queued: true, detail: why })
      }
      // Labels follow the order's earlier changes, which the marketplace must have first.
      if (deps.outbox.pendingForOrder(id).length > 0) {
        return queue(false, 'The order’s earlier changes are still on their way to the marketplace: the label request follows them, and the labels arrive shortly.')
      }
      try {
        const result = await deps.client.requestLabels(id, { labels_type: parsed.data.labels_type, parcel_count: parsed.data.parcel_count })
        const labels = {
          labels_type: parsed.data.labels_type,
          parcel_count: parsed.data.parcel_count,
          labels_raw: result.labels_raw,
          barcodes: result.barcodes,
        }
        deps.db.transaction(() => {
          deps.labels.save(id, labels)
          deps.audit.record({ ...audited, marketplace_state: 'sent', marketplace_at: new Date(deps.clock()).toISOString() })
          remember(200)
        })()
        return { order_id: id, ...labels }
      } catch (error) {
        if (error instanceof MarketplaceError && error.kind === 'refused') {
          return sendProblem(reply, 422, error.code ?? 'MARKETPLACE_REFUSED', error.message)
        }
        if (error instanceof MarketplaceError && error.kind === 'unauthorized') {
          return sendProblem(reply, 502, 'MARKETPLACE_UNAUTHORIZED', 'The marketplace refused the station’s API key: the team lead must check MALL_CLIENT_ID.')
        }
        return queue(error instanceof MarketplaceError && error.uncertain)
      }
    })

    api.get('/orders/:id/labels', async (request, reply) => {
      const id = parseOrderId((request.params as { id?: string }).id)
      const labels = id === null ? null : deps.labels.get(id)
      if (!labels || id === null) return sendProblem(reply, 404, 'NOT_FOUND', 'This order has no MALL Delivery labels yet: request them first.')
      return { order_id: id, ...labels }
    })

    api.get('/products', async (request, reply) => {
      const query = request.query as Record<string, unknown>
      const since = parseCursor(query.since)
      const limit = parseLimit(query.limit)
      if (since === 'invalid') return sendProblem(reply, 422, 'VALIDATION_FAILED', 'since must be a cursor this station gave out (digits).')
      if (limit === 'invalid') return sendProblem(reply, 422, 'VALIDATION_FAILED', `limit must be a whole number from 1 to ${MAX_LIMIT}.`)
      const page = deps.products.delta(since, limit)
      return { products: page.products, cursor: String(page.cursor), more: page.more }
    })

    api.get('/events', async (_request, reply) => {
      deps.events.add(reply)
    })

    api.get('/health', async () => {
      const outbox = deps.outbox.depth()
      return {
        status: 'ok',
        time: new Date(deps.clock()).toISOString(),
        marketplace: {
          mode: deps.mode,
          // Changes the station cannot get through count as much as a failed poll.
          reachable: outbox.waiting > 0 && deps.forwarder.state.lastError !== null ? false : deps.connector.state.reachable,
          last_poll_at: deps.connector.state.lastPollAt,
          last_poll_ok_at: deps.connector.state.lastPollOkAt,
          last_error: deps.connector.state.lastError ?? deps.forwarder.state.lastError,
        },
        webhook: {
          pending_ids: deps.connector.pendingWebhookCount(),
          max_pending_ids: MAX_PENDING_WEBHOOK_IDS,
          // Set when more ids came than are kept: they were dropped for a full poll.
          last_overflow_at: deps.connector.state.webhookOverflowAt,
        },
        outbox: {
          waiting: outbox.waiting,
          oldest_waiting_since: outbox.oldest,
          last_error: outbox.lastError,
          last_sent_at: deps.forwarder.state.lastSuccessAt,
        },
      }
    })

    registerSettingsAndPrinting(api, { ...deps, webhookUrl: (request) => `${request.protocol}://${request.host}${webhookPath(secret)}` })

    // Leads see who is signed in where, and end a lost tablet's sessions. A revoked tablet keeps
    // its waiting changes and asks for a sign-in (its next call is 401).
    api.get('/sessions', async (request) => ({
      sessions: deps.users.sessions().map((session) => ({ ...session, current: session.id === request.session?.id })),
    }))
    api.delete('/sessions/:id', async (request, reply) => {
      const id = (request.params as { id?: string }).id ?? ''
      if (!deps.users.revokeSession(id)) return sendProblem(reply, 404, 'NOT_FOUND', `There is no session ${id}: it has ended already.`)
      deps.audit.record({ order_id: null, actor: 'user', user: request.session?.user.name ?? null, device_id: deviceId(request), action: 'session_revoked', details: { session_id: id }, marketplace_state: 'not_needed' })
      return reply.code(204).send()
    })
    api.delete('/devices/:deviceId', async (request, reply) => {
      const device = (request.params as { deviceId?: string }).deviceId ?? ''
      const ended = deps.users.revokeDevice(device)
      if (ended === null) return sendProblem(reply, 404, 'NOT_FOUND', `No one is signed in on device ${device}.`)
      deps.audit.record({ order_id: null, actor: 'user', user: request.session?.user.name ?? null, device_id: deviceId(request), action: 'device_revoked', details: { device_id: device, sessions: ended }, marketplace_state: 'not_needed' })
      return { device_id: device, sessions_ended: ended }
    })

    // The marketplace's webhook: changed order ids (the address carries the station's secret,
    // checked before the body is read); only ids are read.
    api.post('/marketplace/webhook', async (request, reply) => {
      const ids = deps.client.webhookIds(request.body)
      if (!ids) return sendProblem(reply, 422, 'VALIDATION_FAILED', 'The webhook takes a JSON array of order ids.')
      deps.connector.acceptWebhook(ids)
      return reply.code(204).send()
    })
  }, { prefix: '/api' })

  // Photos are not secret and an <img> cannot send a token: served without one.
  app.get('/media/products/:sku', async (request, reply) => {
    const sku = (request.params as { sku?: string }).sku ?? ''
    const product = deps.products.get(sku)
    if (!product?.source_photo_url) return sendProblem(reply, 404, 'NOT_FOUND', `There is no photo of product ${sku}.`)
    try {
      const photo = await deps.photos.get(product.source_photo_url)
      if (!photo) return sendProblem(reply, 404, 'NOT_FOUND', `The marketplace has no photo of product ${sku}.`)
      const type = photo.type.split(';')[0]?.trim().toLowerCase() ?? ''
      if (!PHOTO_TYPES.has(type)) return sendProblem(reply, 404, 'NOT_FOUND', `The marketplace's photo of product ${sku} is not an image the station serves (${type}).`)
      // An SVG is a document: sandboxed, it cannot run script beside the tablet's token.
      return reply.type(type).header('content-security-policy', PHOTO_CSP).header('cache-control', 'public, max-age=604800').send(photo.body)
    } catch (error) {
      return sendProblem(reply, 503, 'PHOTO_UNAVAILABLE', `The photo cannot be fetched from the marketplace now (${(error as Error).message}); it is tried again next time.`)
    }
  })
}
