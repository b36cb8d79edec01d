import type { FastifyInstance } from 'fastify'
import type { ApiDeps } from './deps.ts'
import { sendProblem } from './problem.ts'

/**
 * "Place test order" (leads, demo mode): the demo marketplace makes an order marked `test`, as
 * MALL marks its own test orders, and the station reads it at once. Test orders stay off the
 * floor's queue and out of the desk's counts and exports unless a filter asks for them.
 */
export function registerTestOrders(api: FastifyInstance, deps: Pick<ApiDeps, 'placeTestOrder' | 'connector' | 'orders' | 'events'>): void {
  api.post('/test-orders', async (_request, reply) => {
    if (!deps.placeTestOrder) {
      return sendProblem(reply, 409, 'DEMO_ONLY', 'Test orders are placed by the demo marketplace only: with the real MALL, place one in the MALL partner portal.')
    }
    const id = deps.placeTestOrder()
    await deps.connector.syncNow()
    const row = deps.orders.get(id)
    deps.events.notify('orders')
    if (!row) return reply.code(202).send({ order_id: id, order: null })
    return reply.code(201).send({ order_id: id, order: deps.orders.toApi(row) })
  })
}
