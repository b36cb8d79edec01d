import type { StationOrder } from '#core/station-api.ts'
import type { Problem } from '#core/problem.ts'
import type { ApiAnswer } from '@/services/api/client'

/**
 * What an answer of the station means for a queued change:
 * - `done`: the station has it (the same key again would get the same answer);
 * - `retry`: no answer, or a passing failure: send again later with the same key;
 * - `reauth`: the session is gone: sign in again, then send with the same key;
 * - `conflict`: the order changed (cancelled upstream, moved by another tablet): a person decides;
 * - `bug`: the station cannot take this request as it is; retrying would not help: a person decides.
 */
export type Verdict =
  | { kind: 'done'; order: StationOrder }
  | { kind: 'retry'; retryAfterMs: number | null; reason: string }
  | { kind: 'reauth' }
  | { kind: 'conflict'; problem: Problem }
  | { kind: 'bug'; problem: Problem }

/** Rule refusals that mean the station's order is not the one this tablet changed. */
const STATE_CODES = new Set([
  'ORDER_FINAL',
  'ORDER_BLOCKED',
  'VERSION_CONFLICT',
  'TRANSITION_NOT_ALLOWED',
  'STATUS_SET_BY_MARKETPLACE',
  'CONFIRMATION_REQUIRED',
  'MDP_SHIPPING_REQUIRED',
  'LABELS_REQUIRED',
  'TRACKING_NOT_ALLOWED',
  'DELIVERED_AT_NOT_ALLOWED',
  'DELIVERED_BEFORE_SHIPPED',
  'NOT_FOUND',
])

function asProblem(answer: ApiAnswer): Problem {
  const body = (answer.body ?? {}) as Partial<Problem>
  return {
    type: body.type ?? 'about:blank',
    title: body.title ?? `HTTP ${answer.status}`,
    status: answer.status,
    code: body.code ?? `HTTP_${answer.status}`,
    detail: body.detail ?? `The station answered ${answer.status}.`,
    ...(body.order ? { order: body.order } : {}),
  }
}

export function classifyAnswer(answer: ApiAnswer): Verdict {
  const { status } = answer
  if (status === 0) return { kind: 'retry', retryAfterMs: null, reason: answer.error ?? 'no answer from the station' }
  if (status >= 200 && status < 300) {
    const order = answer.body as StationOrder | null
    if (order && typeof order === 'object' && typeof order.id === 'number') return { kind: 'done', order }
    return { kind: 'bug', problem: { ...asProblem(answer), code: 'BAD_ANSWER', detail: 'The station accepted the change but sent no order back.' } }
  }
  if (status === 401) return { kind: 'reauth' }
  if (status === 408 || status === 425 || status === 429 || status >= 500) {
    return { kind: 'retry', retryAfterMs: answer.retryAfterMs, reason: `the station answered ${status}` }
  }
  const problem = asProblem(answer)
  if (status === 409 || status === 404 || (status === 422 && STATE_CODES.has(problem.code))) return { kind: 'conflict', problem }
  return { kind: 'bug', problem }
}
