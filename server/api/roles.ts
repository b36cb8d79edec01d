import type { FastifyInstance } from 'fastify'
import { isWebhookSecret } from '../marketplace/webhook-secret.ts'
import { clientAddress } from '../store/sign-in-limits.ts'
import type { Session, UserStore } from '../store/users.ts'
import { sendProblem } from './problem.ts'
import { bearer } from './request.ts'

/**
 * Who may call each route of the station, in this one table. A route missing from it stops the
 * station at start (see `guardRoutes`), so none can be added without saying who may call it.
 *
 * - `open`: anyone (sign-in, health, product photos);
 * - `webhook`: whoever has the station's webhook secret (`?secret=`), the marketplace;
 * - `signed-in`: any signed-in user, picker or lead;
 * - `lead`: a team lead only;
 * - `lead-or-owner`: a team lead, or the user who made the thing acted on (their flag, the change
 *   that became a conflict); the route checks the owner.
 */
export type Access = 'open' | 'webhook' | 'signed-in' | 'lead' | 'lead-or-owner'

export const ROUTE_ACCESS: Readonly<Record<string, Access>> = {
  'POST /api/session': 'open',
  'GET /api/session': 'signed-in',
  'DELETE /api/session': 'signed-in',
  'GET /api/health': 'open',
  'POST /api/marketplace/webhook': 'webhook',
  'GET /api/orders': 'signed-in',
  'GET /api/orders/history': 'signed-in',
  'GET /api/orders/:id': 'signed-in',
  'POST /api/orders/:id/status': 'signed-in',
  'POST /api/changes': 'signed-in',
  'POST /api/orders/:id/claim': 'signed-in',
  // Releasing someone else's claim is checked by the route (the claim's holder or a lead).
  'DELETE /api/orders/:id/claim': 'signed-in',
  'POST /api/orders/:id/flag': 'signed-in',
  'DELETE /api/orders/:id/flag': 'lead-or-owner',
  'DELETE /api/orders/:id/conflict': 'lead-or-owner',
  'POST /api/orders/:id/labels': 'signed-in',
  'GET /api/orders/:id/labels': 'signed-in',
  'GET /api/products': 'signed-in',
  'GET /api/events': 'signed-in',
  'GET /api/settings': 'signed-in',
  'PUT /api/settings': 'lead',
  'POST /api/print': 'signed-in',
  'GET /api/sessions': 'lead',
  'DELETE /api/sessions/:id': 'lead',
  'DELETE /api/devices/:deviceId': 'lead',
  'POST /api/imports/dry-run': 'lead',
  'POST /api/imports': 'lead',
  'GET /api/imports/:id': 'lead',
  'POST /api/test-orders': 'lead',
  'GET /api/figures/packers': 'signed-in',
  // Adding a note is anyone's; changing one is its author's or a lead's, checked by the route.
  'PUT /api/orders/:id/notes/:noteId': 'signed-in',
  'DELETE /api/orders/:id/notes/:noteId': 'signed-in',
  'GET /media/products/:sku': 'open',
  'GET /api/marketplace/account': 'lead',
  'POST /api/marketplace/account/connect': 'lead',
}

/** What a picker is told by a `lead` route, when it says more than the general sentence. */
export const LEAD_ONLY_DETAIL: Readonly<Record<string, string>> = {
  'PUT /api/settings': 'Only a team lead can change the station’s settings.',
  'GET /api/sessions': 'Only a team lead can see who is signed in.',
  'POST /api/imports/dry-run': 'Only a team lead can import order states.',
  'POST /api/imports': 'Only a team lead can import order states.',
  'GET /api/imports/:id': 'Only a team lead can read an import’s report.',
  'POST /api/test-orders': 'Only a team lead can place a test order.',
  'POST /api/marketplace/account/connect': 'Only a team lead can connect the marketplace account.',
}

/** The table's key of a route: HEAD is answered as GET. */
export function routeKey(method: string, url: string): string {
  return `${method === 'HEAD' ? 'GET' : method} ${url}`
}

/** Whether the signed-in user may act on something `owner` made, for a `lead-or-owner` route. */
export function leadOrOwner(session: Session | null, owner: string | null): boolean {
  return session?.user.role === 'lead' || (owner !== null && session?.user.name === owner)
}

/**
 * Holds every route of `api` to ROUTE_ACCESS: a route without a line there stops the start, and
 * each request is let through, asked to sign in (401) or refused (403) as its line says.
 */
export function guardRoutes(api: FastifyInstance, deps: { users: UserStore; webhookSecret: string }): void {
  api.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (method === 'HEAD' || method === 'OPTIONS') continue
      if (!ROUTE_ACCESS[routeKey(method, route.url)]) throw new Error(`${method} ${route.url} is missing from ROUTE_ACCESS in server/api/roles.ts`)
    }
  })

  api.addHook('onRequest', async (request, reply) => {
    // A path no route has is answered 404 only to a signed-in caller, as before.
    const url = request.routeOptions.url
    const key = url === undefined ? '' : routeKey(request.method, url)
    const access = ROUTE_ACCESS[key] ?? 'signed-in'
    if (access === 'open') return
    if (access === 'webhook') {
      if (isWebhookSecret((request.query as Record<string, unknown>).secret, deps.webhookSecret)) return
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
}
