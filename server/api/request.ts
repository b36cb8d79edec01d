import type { FastifyReply, FastifyRequest } from 'fastify'
import type { z } from 'zod'
import type { OrderRepository, OrderRow } from '../store/orders.ts'
import type { Session } from '../store/users.ts'
import { sendProblem } from './problem.ts'

/** What the routes read from a request: its token, cursors, page sizes and the order it names. */

declare module 'fastify' {
  interface FastifyRequest {
    session: Session | null
  }
}

const DEFAULT_LIMIT = 500
export const MAX_LIMIT = 5000

/** How an Idempotency-Key must look: made once on the tablet for one change. */
export const IDEMPOTENCY_KEY = /^[\w.:-]{8,200}$/

export function bearer(request: FastifyRequest): string | null {
  const header = request.headers.authorization
  if (typeof header === 'string' && /^Bearer\s+\S+$/i.test(header)) return header.replace(/^Bearer\s+/i, '')
  // EventSource cannot send headers: the event stream alone takes the token as a query parameter.
  const query = request.query as Record<string, unknown>
  if (request.url.startsWith('/api/events') && typeof query.access_token === 'string') return query.access_token
  return null
}

export function parseCursor(raw: unknown): number | null | 'invalid' {
  if (raw === undefined || raw === '') return null
  if (typeof raw !== 'string' || !/^\d{1,15}$/.test(raw)) return 'invalid'
  return Number(raw)
}

export function parseLimit(raw: unknown): number | 'invalid' {
  if (raw === undefined || raw === '') return DEFAULT_LIMIT
  if (typeof raw !== 'string' || !/^\d{1,6}$/.test(raw) || Number(raw) < 1) return 'invalid'
  return Math.min(MAX_LIMIT, Number(raw))
}

/**
 * The cursor and page size of a delta pull (`?since=&limit=`), or null once a 422 saying what is
 * wrong has been sent.
 */
export function pageOf(request: FastifyRequest, reply: FastifyReply): { since: number | null; limit: number } | null {
  const query = request.query as Record<string, unknown>
  const since = parseCursor(query.since)
  const limit = parseLimit(query.limit)
  if (since === 'invalid') {
    void sendProblem(reply, 422, 'VALIDATION_FAILED', 'since must be a cursor this station gave out (digits).')
    return null
  }
  if (limit === 'invalid') {
    void sendProblem(reply, 422, 'VALIDATION_FAILED', `limit must be a whole number from 1 to ${MAX_LIMIT}.`)
    return null
  }
  return { since, limit }
}

export function parseOrderId(raw: string | undefined): number | null {
  return raw !== undefined && /^\d{1,16}$/.test(raw) ? Number(raw) : null
}

export function noSuchOrder(request: FastifyRequest, reply: FastifyReply) {
  return sendProblem(reply, 404, 'NOT_FOUND', `There is no order ${(request.params as { id?: string }).id} on this station.`)
}

/** The order the path names, or null once a 404 has been sent. */
export function findOrder(orders: OrderRepository, request: FastifyRequest, reply: FastifyReply): { id: number; row: OrderRow } | null {
  const id = parseOrderId((request.params as { id?: string }).id)
  const row = id === null ? null : orders.get(id)
  if (id === null || !row) {
    void noSuchOrder(request, reply)
    return null
  }
  return { id, row }
}

/**
 * The order the path names and the request's body read by `schema`, or null once a 404 (no such
 * order) or a 422 saying `howToFix` has been sent. An empty body reads as `{}`.
 */
export function findOrderWithBody<T extends z.ZodType>(
  orders: OrderRepository,
  request: FastifyRequest,
  reply: FastifyReply,
  schema: T,
  howToFix: string,
): { id: number; row: OrderRow; body: z.infer<T> } | null {
  const found = findOrder(orders, request, reply)
  if (!found) return null
  const parsed = schema.safeParse(request.body ?? {})
  if (!parsed.success) {
    void sendProblem(reply, 422, 'VALIDATION_FAILED', howToFix)
    return null
  }
  return { ...found, body: parsed.data }
}
