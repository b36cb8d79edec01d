import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { FLAG_REASONS } from '#core/station-api.ts'
import type { Flags } from '../orders/flags.ts'
import type { ApiDeps } from './deps.ts'
import { deviceId } from './device.ts'
import { sendProblem } from './problem.ts'
import { findOrder, findOrderWithBody } from './request.ts'
import { leadOrOwner } from './roles.ts'

const flagBody = z
  .object({
    reason: z.enum(FLAG_REASONS),
    sku: z.string().min(1).max(100).optional(),
    note: z.string().max(500).optional(),
  })
  .strict()

/** Flagging a problem with an order (`/api/orders/:id/flag`, a short pick) and clearing it. */
export function registerFlags(api: FastifyInstance, deps: Pick<ApiDeps, 'orders' | 'events'> & { flags: Flags }): void {
  api.post('/orders/:id/flag', async (request, reply) => {
    const found = findOrderWithBody(deps.orders, request, reply, flagBody, `Say what is wrong: reason is one of ${FLAG_REASONS.join(', ')}; a note may follow.`)
    if (!found) return reply
    const order = deps.flags.raise(found.row, {
      reason: found.body.reason,
      sku: found.body.sku ?? null,
      note: found.body.note ?? null,
      user: request.session?.user.name ?? 'unknown',
      device_id: deviceId(request),
    })
    deps.events.notify('orders')
    return order
  })

  api.delete('/orders/:id/flag', async (request, reply) => {
    const found = findOrder(deps.orders, request, reply)
    if (!found) return reply
    const flagged = deps.orders.toApi(found.row).flag
    if (flagged && !leadOrOwner(request.session, flagged.user)) {
      return sendProblem(reply, 403, 'FORBIDDEN', `Only ${flagged.user}, who reported the problem, or a team lead can clear it.`)
    }
    const order = deps.flags.clear(found.row, request.session?.user.name ?? null, deviceId(request))
    deps.events.notify('orders')
    return order
  })
}
