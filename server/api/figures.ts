import type { FastifyInstance } from 'fastify'
import { packingFigures } from '../orders/packing-figures.ts'
import type { ApiDeps } from './deps.ts'
import { sendProblem } from './problem.ts'

/** "Today at a glance" per packer (`GET /api/figures/packers?since=ISO`): the desk asks from the start of the warehouse's day. */
export function registerFigures(api: FastifyInstance, deps: Pick<ApiDeps, 'db'>): void {
  api.get('/figures/packers', async (request, reply) => {
    const since = (request.query as Record<string, unknown>).since
    if (typeof since !== 'string' || !Number.isFinite(Date.parse(since))) {
      return sendProblem(reply, 422, 'VALIDATION_FAILED', 'since must be an instant such as 2026-11-26T00:00:00.000Z: the start of the day to count from.')
    }
    return { since: new Date(since).toISOString(), packers: packingFigures(deps.db, new Date(since).toISOString()) }
  })
}
