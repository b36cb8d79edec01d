import { z } from 'zod'
import { EVIDENCE_SOURCES } from '#core/scan-sources.ts'
import { applyStatusChange, checkStatusChange, orderForChange, type StatusChange } from '#core/status.ts'
import type { Order } from '#core/order.ts'
import type { OrderWriteDeps } from './deps.ts'
import type { StationOrder } from '../store/orders.ts'
import { IdempotencyStore, type Session } from '../store/users.ts'
import { problem, type Problem } from '#core/problem.ts'

/**
 * A tablet's status change, accepted on the LAN at once: checked against the marketplace's rules,
 * written to the order, the audit log and the outbox to the marketplace in one transaction, and
 * answered. The same idempotency key gets the first answer again.
 */

export const statusChangeBody = z
  .object({
    status: z.string().min(1).max(32).nullish(),
    confirmed: z.boolean().nullish(),
    tracking_number: z.string().max(100).nullish(),
    tracking_url: z.string().max(2000).nullish(),
    delivered_at: z.string().max(40).nullish(),
    first_delivery_attempt: z.string().max(40).nullish(),
    /** The packing evidence (which codes verified which lines); kept in the audit log, not sent on. */
    packing: z
      .object({
        scans: z
          .array(
            z
              .object({
                sku: z.string().min(1).max(100),
                units: z.number().int().min(1).max(10_000),
                code: z.string().max(200).nullable(),
                at: z.string().max(40),
                source: z.enum(EVIDENCE_SOURCES),
                reason: z.string().max(500).optional(),
              })
              .strict(),
          )
          .max(5000),
        /** How many scans the pack screen answered as wrong while packing the order; older tablets send none. */
        wrong_scans: z.number().int().min(0).max(100_000).optional(),
        /** Why a team lead confirmed the packing without scanning it; required when nothing was scanned. */
        unscanned_reason: z.string().trim().min(1).max(500).optional(),
      })
      .strict()
      .refine((packing) => packing.scans.length > 0 || packing.unscanned_reason !== undefined, {
        message: 'packing without scans needs the lead’s unscanned_reason',
        path: ['unscanned_reason'],
      })
      .optional(),
  })
  .strict()

export type Answer = { status: number; body: StationOrder | Problem; auditId?: number }

/**
 * An answer as sent: serialized once, for the reply and for the idempotency record alike.
 * `auditId` names the history entry of a change queued for the marketplace (not on a replay).
 */
export type SentAnswer = { status: number; json: string; auditId?: number }

/** What a change would do to an order now, for a dry run: refused, nothing to change, or a change. */
export type ChangePreview =
  | { outcome: 'unknown_order' }
  | { outcome: 'refused'; code: string; message: string }
  | { outcome: 'already_so' | 'will_change' }

export interface StatusChangeRequest {
  orderId: number
  body: unknown
  idempotencyKey: string
  /** The `If-Match` header as sent, if any. */
  ifMatch: string | undefined
  session: Session
  deviceId: string | null
}

/** `5`, `"5"` and `W/"5"` all name revision 5. */
export function parseRevision(header: string): number | null {
  const match = /^\s*(?:W\/)?"?(\d+)"?\s*$/.exec(header)
  return match ? Number(match[1]) : null
}

/** Only the keys the tablet sent, as the marketplace's PUT takes them. */
function cleanChange(change: Omit<z.infer<typeof statusChangeBody>, 'packing'>): StatusChange & Record<string, unknown> {
  return Object.fromEntries(Object.entries(change).filter(([, value]) => value !== undefined && value !== null)) as StatusChange &
    Record<string, unknown>
}

export class StatusChanges {
  constructor(
    private readonly deps: OrderWriteDeps,
  ) {}

  /** Whether MALL Delivery labels exist or are on their way for the order. */
  hasLabels(orderId: number): boolean {
    return this.deps.labels.get(orderId) !== null || this.deps.outbox.queuedForOrder(orderId).some((entry) => entry.kind === 'labels')
  }

  change(request: StatusChangeRequest): SentAnswer {
    const { db, idempotency } = this.deps
    const parsed = statusChangeBody.safeParse(request.body ?? {})
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      return {
        status: 422,
        json: JSON.stringify(problem(422, 'VALIDATION_FAILED', `The change is not valid: ${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}.`)),
      }
    }
    const { packing, ...rest } = parsed.data
    // Packing without scanning is a team lead's decision, on the record with the reason.
    if (packing?.unscanned_reason !== undefined && request.session.user.role !== 'lead') {
      return {
        status: 403,
        json: JSON.stringify(problem(403, 'LEAD_ONLY', 'Only a team lead may confirm packing without scanning: scan the items instead.')),
      }
    }
    const change = cleanChange(rest)
    const requestHash = IdempotencyStore.hashRequest({ order: request.orderId, change, packing: packing ?? null, ifMatch: request.ifMatch ?? null })
    return db.transaction((): SentAnswer => {
      const earlier = idempotency.find(request.idempotencyKey)
      if (earlier) {
        if (earlier.request_hash !== requestHash) {
          const reused = problem(422, 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used for a different change: make a new key for each change.')
          return { status: 422, json: JSON.stringify(reused) }
        }
        return { status: earlier.status, json: earlier.response_json }
      }
      const answer = this.decide(request, change, packing ?? null)
      const json = JSON.stringify(answer.body)
      // A 404 may become a 200 once the order arrives from the marketplace; it is not kept.
      if (answer.status !== 404) idempotency.save(request.session.user.id, request.idempotencyKey, requestHash, answer.status, json)
      return answer.auditId === undefined ? { status: answer.status, json } : { status: answer.status, json, auditId: answer.auditId }
    })()
  }

  /**
   * Several changes, each with its own key and its own answer, committed together: one durable
   * commit for the batch instead of one per change. Each answers as `change` alone would.
   */
  changeMany(requests: readonly StatusChangeRequest[]): SentAnswer[] {
    return this.deps.db.transaction(() => requests.map((request) => this.change(request)))()
  }

  /** What `change` would answer to this change now, without writing anything (an import's dry run). */
  preview(orderId: number, change: StatusChange): ChangePreview {
    const { orders, clock } = this.deps
    const parsed = statusChangeBody.safeParse(change)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      return { outcome: 'refused', code: 'VALIDATION_FAILED', message: `The change is not valid: ${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}.` }
    }
    const row = orders.get(orderId)
    if (!row) return { outcome: 'unknown_order' }
    const order = orders.order(row)
    const refusal = this.refusal(order, change)
    if (refusal) return { outcome: 'refused', code: refusal.code, message: refusal.message }
    const next = applyStatusChange(order, change, 'seller', clock())
    return { outcome: next.status === order.status && next.confirmed === order.confirmed ? 'already_so' : 'will_change' }
  }

  private refusal(order: Order, change: StatusChange) {
    return checkStatusChange(orderForChange(order, order.mdp && this.hasLabels(order.id)), change, 'seller', this.deps.clock())
  }

  private decide(request: StatusChangeRequest, change: StatusChange & Record<string, unknown>, packing: { scans: unknown[]; unscanned_reason?: string } | null): Answer {
    const { orders, outbox, audit, clock } = this.deps
    const row = orders.get(request.orderId)
    if (!row) return { status: 404, body: problem(404, 'NOT_FOUND', `Order ${request.orderId} is not on this station: pull the orders again.`) }
    const order = orders.order(row)
    const current = () => orders.toApi(row, order)
    if (request.ifMatch !== undefined) {
      const revision = parseRevision(request.ifMatch)
      if (revision === null) {
        return { status: 422, body: problem(422, 'VALIDATION_FAILED', 'If-Match must be the order revision, a whole number such as "7".') }
      }
      if (revision !== row.revision) {
        return {
          status: 409,
          body: problem(
            409,
            'VERSION_CONFLICT',
            `Order ${row.id} changed since this tablet last saw it (revision ${revision}, now ${row.revision}): look at it again before changing it.`,
            { order: current() },
          ),
        }
      }
    }
    const refusal = this.refusal(order, change)
    if (refusal) {
      // A cancelled or finished order is news the tablet did not have: a conflict, with the order.
      const conflict = refusal.code === 'ORDER_FINAL' || refusal.code === 'ORDER_BLOCKED'
      return {
        status: conflict ? 409 : 422,
        body: problem(conflict ? 409 : 422, refusal.code, refusal.message, { order: current(), attributes: refusal.attributes }),
      }
    }
    const next = applyStatusChange(order, change, 'seller', clock())
    const who = { order_id: order.id, actor: 'user' as const, user: request.session.user.name, device_id: request.deviceId }
    if (next.status === order.status && next.confirmed === order.confirmed) {
      // Nothing to send; the evidence of a packing done on an order already in shipping is kept.
      if (packing) audit.record({ ...who, action: 'packing', details: { packing }, marketplace_state: 'not_needed' })
      return { status: 200, body: current() }
    }
    const auditId = audit.record({
      ...who,
      action: 'status',
      details: { from: order.status, to: next.status, change, ...(packing ? { packing } : {}) },
      marketplace_state: 'queued',
    })
    outbox.add(order.id, 'status', change, auditId)
    orders.writeLocalChange(row, next)
    if (row.conflict !== null) orders.clearConflict(order.id)
    return { status: 200, body: orders.toApi(orders.get(order.id) ?? row, next), auditId }
  }
}
