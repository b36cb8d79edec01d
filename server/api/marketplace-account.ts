import type { FastifyInstance } from 'fastify'
import { MarketplaceError } from '../marketplace/marketplace.ts'
import type { ApiDeps } from './deps.ts'
import { sendProblem } from './problem.ts'

/**
 * The seller's marketplace account, for a lead in Settings (`/api/marketplace/account`): whether
 * the station is connected, and connecting it (Allegro's device flow: a code to enter on
 * Allegro's page). The tokens stay on the station; only the code and the page are sent.
 */
export function registerMarketplaceAccount(api: FastifyInstance, deps: Pick<ApiDeps, 'client' | 'connector'>): void {
  const noAccount = 'This marketplace is connected by its key in the station’s environment (MALL_CLIENT_ID), not from Settings.'

  api.get('/marketplace/account', async (_request, reply) => {
    const account = deps.client.account
    if (!account) return sendProblem(reply, 404, 'NO_ACCOUNT_TO_CONNECT', noAccount)
    return account.state()
  })

  api.post('/marketplace/account/connect', async (_request, reply) => {
    const account = deps.client.account
    if (!account) return sendProblem(reply, 404, 'NO_ACCOUNT_TO_CONNECT', noAccount)
    try {
      const state = await account.connect()
      return state
    } catch (error) {
      if (error instanceof MarketplaceError && error.kind !== 'refused') {
        return sendProblem(reply, 502, 'MARKETPLACE_UNREACHABLE', 'Allegro cannot be reached now: check the station’s internet connection and press Connect Allegro again.')
      }
      return sendProblem(reply, 502, 'MARKETPLACE_REFUSED', (error as Error).message)
    }
  })
}
