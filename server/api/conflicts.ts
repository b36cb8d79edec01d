import type { FastifyInstance } from 'fastify'
import { conflictOwner, dismissConflict } from '../orders/conflicts.ts'
import type { ApiDeps } from './deps.ts'
import { deviceId } from './device.ts'
import { sendProblem } from './problem.ts'
import { findOrder } from './request.ts'
import { leadOrOwner } from './roles.ts'

/** Dismissing an order's conflict (`/api/orders/:id/conflict`) once someone has read it. */
export function registerConflicts(api: FastifyInstance, deps: Pick<ApiDeps, 'db' | 'orders' | 'audit' | 'events'>): void {
  api.delete('/orders/:id/conflict', async (request, reply) => {
    const found = findOrder(deps.orders, request, reply)
    if (!found) return reply
    const { id, row } = found
    if (row.conflict !== null) {
      const owner = conflictOwner(row)
      if (!leadOrOwner(request.session, owner)) {
        return sendProblem(reply, 403, 'FORBIDDEN', `Only ${owner ?? 'a team lead'}${owner ? ', whose change it was, or a team lead' : ''} can dismiss this conflict.`)
      }
      dismissConflict(deps, row, request.session?.user.name ?? null, deviceId(request))
      deps.events.notify('orders')
    }
    return deps.orders.toApi(deps.orders.get(id) ?? row)
  })
}
