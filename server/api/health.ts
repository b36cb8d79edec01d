import type { FastifyInstance } from 'fastify'
import { MAX_PENDING_WEBHOOK_IDS } from '../marketplace/connector.ts'
import type { ApiDeps } from './deps.ts'

/** The station's health (`GET /api/health`, open): the marketplace, its webhook and the outbox. */
export function registerHealth(api: FastifyInstance, deps: Pick<ApiDeps, 'mode' | 'outbox' | 'connector' | 'forwarder' | 'clock'> & { client?: ApiDeps['client'] }): void {
  api.get('/health', async () => {
    const outbox = deps.outbox.depth()
    return {
      status: 'ok',
      time: new Date(deps.clock()).toISOString(),
      marketplace: {
        mode: deps.mode,
        // Changes the station cannot get through count as much as a failed poll.
        reachable: outbox.waiting > 0 && deps.forwarder.state.lastError !== null ? false : deps.connector.state.reachable,
        last_poll_at: deps.connector.state.lastPollAt,
        last_poll_ok_at: deps.connector.state.lastPollOkAt,
        last_error: deps.connector.state.lastError ?? deps.forwarder.state.lastError,
        // Where the seller connects the account (Allegro): `connect_again` asks a lead to act.
        ...(deps.client?.account ? { account: deps.client.account.state().status } : {}),
      },
      webhook: {
        pending_ids: deps.connector.pendingWebhookCount(),
        max_pending_ids: MAX_PENDING_WEBHOOK_IDS,
        // Set when more ids came than are kept: they were dropped for a full poll.
        last_overflow_at: deps.connector.state.webhookOverflowAt,
      },
      outbox: {
        waiting: outbox.waiting,
        oldest_waiting_since: outbox.oldest,
        last_error: outbox.lastError,
        last_sent_at: deps.forwarder.state.lastSuccessAt,
      },
    }
  })
}
