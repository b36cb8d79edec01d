import type { FastifyInstance } from 'fastify'
import type { Claims } from '../orders/claims.ts'
import type { ApiDeps } from './deps.ts'
import { deviceId } from './device.ts'
import { replyProblem } from './problem.ts'
import { findOrder } from './request.ts'

/** Claiming an order for packing (`/api/orders/:id/claim`) and releasing it. */
export function registerClaims(api: FastifyInstance, deps: Pick<ApiDeps, 'orders' | 'events'> & { claims: Claims }): void {
  api.post('/orders/:id/claim', async (request, reply) => {
    const found = findOrder(deps.orders, request, reply)
    if (!found) return reply
    const answer = deps.claims.take(found.row, request.session?.user.name ?? 'unknown', deviceId(request))
    if (!answer.ok) return replyProblem(reply, answer.problem)
    deps.events.notify('orders')
    return answer.order
  })

  api.delete('/orders/:id/claim', async (request, reply) => {
    const found = findOrder(deps.orders, request, reply)
    if (!found) return reply
    const answer = deps.claims.release(found.row, request.session)
    if (!answer.ok) return replyProblem(reply, answer.problem)
    deps.events.notify('orders')
    return answer.order
  })
}
