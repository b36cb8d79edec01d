import type { FastifyInstance } from 'fastify'
import type { ApiDeps } from './deps.ts'
import { sendProblem } from './problem.ts'

/**
 * The marketplace's webhook (`POST /api/marketplace/webhook`): changed order ids. Its address
 * carries the station's secret, checked (roles.ts) before the body is read; only ids are read.
 */
export function registerWebhook(api: FastifyInstance, deps: Pick<ApiDeps, 'client' | 'connector'>): void {
  api.post('/marketplace/webhook', async (request, reply) => {
    const ids = deps.client.webhookIds(request.body)
    if (!ids) return sendProblem(reply, 422, 'VALIDATION_FAILED', 'The webhook takes a JSON array of order ids.')
    deps.connector.acceptWebhook(ids)
    return reply.code(204).send()
  })
}
