import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { PROBLEM_TYPE } from '#core/problem.ts'
import type { Session } from '../store/users.ts'
import type { ApiDeps } from './deps.ts'
import { deviceId } from './device.ts'
import { sendProblem } from './problem.ts'
import { findOrder, IDEMPOTENCY_KEY, noSuchOrder, pageOf, parseOrderId } from './request.ts'

/** The most changes one `POST /api/changes` takes. */
export const MAX_BATCH = 100

const changesBody = z.object({
  changes: z
    .array(
      z.object({
        order_id: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
        key: z.string().regex(IDEMPOTENCY_KEY),
        body: z.unknown(),
        if_match: z.union([z.string().max(40), z.number().int().nonnegative()]).optional(),
      }),
    )
    .min(1)
    .max(MAX_BATCH),
})

/**
 * Orders: the tablets' pull (`GET /api/orders`, a page of changes since a cursor), one order with
 * its history, and status changes, one at a time or as the outbox's batch.
 */
export function registerOrders(api: FastifyInstance, deps: Pick<ApiDeps, 'orders' | 'audit' | 'changes' | 'events' | 'forwarder'>): void {
  api.get('/orders', async (request, reply) => {
    const asked = pageOf(request, reply)
    if (!asked) return reply
    const query = request.query as Record<string, unknown>
    const includeTest = query.test === '1' || query.test === 'true'
    const page = deps.orders.delta(asked.since, asked.limit, includeTest)
    return reply.type('application/json; charset=utf-8').send(`{"orders":${page.ordersJson},"cursor":"${page.cursor}","more":${page.more}}`)
  })

  // The desk's history: every order the station holds, final ones of long ago and test orders
  // included (each says `test` and `in_working_set`), as a delta by the same cursor.
  api.get('/orders/history', async (request, reply) => {
    const asked = pageOf(request, reply)
    if (!asked) return reply
    const page = deps.orders.delta(asked.since ?? 0, asked.limit, true)
    return reply.type('application/json; charset=utf-8').send(`{"orders":${page.ordersJson},"cursor":"${page.cursor}","more":${page.more}}`)
  })

  api.get('/orders/:id', async (request, reply) => {
    const found = findOrder(deps.orders, request, reply)
    if (!found) return reply
    const { id, row } = found
    return { order: deps.orders.toApi(row), history: deps.audit.forOrder(id) }
  })

  api.post('/orders/:id/status', async (request, reply) => {
    const id = parseOrderId((request.params as { id?: string }).id)
    if (id === null) return noSuchOrder(request, reply)
    const key = request.headers['idempotency-key']
    if (typeof key !== 'string' || !IDEMPOTENCY_KEY.test(key)) {
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
}
