import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import type { LabelRequests } from '../orders/labels.ts'
import type { ApiDeps } from './deps.ts'
import { deviceId } from './device.ts'
import { replyProblem, sendProblem } from './problem.ts'
import { findOrderWithBody, IDEMPOTENCY_KEY, parseOrderId } from './request.ts'

const labelsBody = z
  .object({
    parcel_count: z.number().int().min(1).max(100),
    labels_type: z.enum(['pdf', 'zpl']).default('pdf'),
  })
  .strict()

/** MALL Delivery labels of an order (`/api/orders/:id/labels`): requesting them and reading them again. */
export function registerLabels(api: FastifyInstance, deps: Pick<ApiDeps, 'orders' | 'labels'> & { labelRequests: LabelRequests }): void {
  api.post('/orders/:id/labels', async (request, reply) => {
    const found = findOrderWithBody(deps.orders, request, reply, labelsBody, 'Say how many parcels (parcel_count, 1 to 100) and the label type (pdf or zpl).')
    if (!found) return reply
    const key = request.headers['idempotency-key']
    const answer = await deps.labelRequests.request(found.row, found.body, {
      session: request.session,
      deviceId: deviceId(request),
      idempotencyKey: typeof key === 'string' && IDEMPOTENCY_KEY.test(key) ? key : null,
    })
    if (answer.kind === 'problem') return replyProblem(reply, answer.problem)
    if (answer.kind === 'queued') return reply.code(202).send({ queued: true, detail: answer.detail })
    return answer.labels
  })

  api.get('/orders/:id/labels', async (request, reply) => {
    const id = parseOrderId((request.params as { id?: string }).id)
    const labels = id === null ? null : deps.labels.get(id)
    if (!labels || id === null) return sendProblem(reply, 404, 'NOT_FOUND', 'This order has no MALL Delivery labels yet: request them first.')
    return { order_id: id, ...labels }
  })
}
