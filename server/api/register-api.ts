import type { FastifyError, FastifyInstance } from 'fastify'
import { webhookPath, webhookSecret } from '../marketplace/webhook-secret.ts'
import { Claims } from '../orders/claims.ts'
import { Flags } from '../orders/flags.ts'
import { LabelRequests } from '../orders/labels.ts'
import { Notes } from '../orders/notes.ts'
import { registerClaims } from './claims.ts'
import { registerConflicts } from './conflicts.ts'
import type { ApiDeps } from './deps.ts'
import { registerEvents } from './events.ts'
import { registerFigures } from './figures.ts'
import { registerFlags } from './flags.ts'
import { registerHealth } from './health.ts'
import { registerImports } from './imports.ts'
import { registerLabels } from './labels.ts'
import { registerNotes } from './notes.ts'
import { registerMarketplaceAccount } from './marketplace-account.ts'
import { registerOrders } from './orders.ts'
import { registerPeople } from './people.ts'
import { sendProblem } from './problem.ts'
import { registerProductMedia, registerProducts } from './products.ts'
import { guardRoutes } from './roles.ts'
import { registerSessions } from './sessions.ts'
import { MAX_ZPL_BYTES, registerSettingsAndPrinting } from './settings-and-printing.ts'
import { registerTestOrders } from './test-orders.ts'
import { registerWebhook } from './webhook.ts'

export type { ApiDeps } from './deps.ts'

/** The station API (`/api`), as README's "The station API" table has it, and the product photos beside it. */
export async function registerApi(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  app.decorateRequest('session', null)
  const secret = webhookSecret(deps.db)
  const claims = new Claims({ ...deps, queued: () => deps.forwarder.kick() })
  const flags = new Flags(deps)
  const labelRequests = new LabelRequests({ ...deps, queued: () => deps.forwarder.kick() })

  await app.register(async (api) => {
    guardRoutes(api, { users: deps.users, webhookSecret: secret })
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

    registerSessions(api, deps)
    registerOrders(api, deps)
    registerClaims(api, { ...deps, claims })
    registerFlags(api, { ...deps, flags })
    registerConflicts(api, deps)
    registerLabels(api, { ...deps, labelRequests })
    registerProducts(api, deps)
    registerEvents(api, deps)
    registerHealth(api, deps)
    registerSettingsAndPrinting(api, { ...deps, webhookUrl: (request) => `${request.protocol}://${request.host}${webhookPath(secret)}` })
    registerPeople(api, deps)
    registerWebhook(api, deps)
    registerImports(api, deps)
    registerTestOrders(api, deps)
    registerFigures(api, deps)
    registerNotes(api, { ...deps, notes: new Notes(deps) })
    registerMarketplaceAccount(api, deps)
  }, { prefix: '/api' })

  registerProductMedia(app, deps)
}
