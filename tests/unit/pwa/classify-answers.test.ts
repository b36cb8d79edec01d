import { describe, expect, it } from 'vitest'
import { classifyAnswer } from '../../../src/services/outbox/classify.ts'
import { ok, offline, problemAnswer, stationOrder } from './fixtures.ts'

/**
 * Every answer the station (or the network) can give to a queued status change, and what the
 * outbox makes of it: done, retry later with the same key, sign in again, a conflict a person
 * decides, or a request the station cannot take as it is (bug).
 */

/** Refusals that mean the station's order is not the one the tablet changed. */
const STATE_CODES = [
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
]

/** Refusals about the request itself: sending it again, as it is, can never succeed. */
const REQUEST_CODES = [
  'VALIDATION_FAILED',
  'IDEMPOTENCY_KEY_REUSED',
  'TRACKING_REQUIRED',
  'TRACKING_NUMBER_INVALID',
  'TRACKING_URL_INVALID',
  'STATUS_UNKNOWN',
  'NOTHING_TO_CHANGE',
  'CONFIRMED_CANNOT_BE_UNSET',
  'DELIVERED_AT_REQUIRED',
  'DATETIME_INVALID',
]

describe('classifyAnswer', () => {
  it('no answer at all (offline, timeout, dropped connection) is retried, with the reason kept', () => {
    expect(classifyAnswer(offline('The operation was aborted due to timeout'))).toEqual({
      kind: 'retry',
      retryAfterMs: null,
      reason: 'The operation was aborted due to timeout',
    })
    expect(classifyAnswer({ status: 0, body: null, retryAfterMs: null })).toMatchObject({ kind: 'retry', reason: 'no answer from the station' })
  })

  it('200 with the order: done, and the station’s order comes with it', () => {
    const order = stationOrder({ status: 'shipping', revision: 4 })
    expect(classifyAnswer(ok(order))).toEqual({ kind: 'done', order })
  })

  it.each([
    ['an empty body', null],
    ['an object without an order id', { ok: true }],
    ['an order id that is not a number', { id: '10085339302' }],
  ])('200 without an order (%s) is not taken as done: the station must say what the order is now', (_, body) => {
    const verdict = classifyAnswer({ status: 200, body, retryAfterMs: null })
    expect(verdict.kind).toBe('bug')
    expect(verdict).toMatchObject({ problem: { code: 'BAD_ANSWER', status: 200, detail: 'The station accepted the change but sent no order back.' } })
  })

  it('401: sign in again (the change waits, it is not a conflict)', () => {
    expect(classifyAnswer(problemAnswer(401, 'UNAUTHENTICATED'))).toEqual({ kind: 'reauth' })
  })

  it('408 request timeout is retried', () => {
    expect(classifyAnswer(problemAnswer(408, 'TIMEOUT'))).toEqual({ kind: 'retry', retryAfterMs: null, reason: 'the station answered 408' })
  })

  it('409 with the station’s order: a conflict that shows the order as it is now', () => {
    const current = stationOrder({ status: 'cancelled', cancelled: '2024-07-15 09:00:00', revision: 9 })
    const verdict = classifyAnswer(
      problemAnswer(409, 'ORDER_FINAL', {
        detail: 'This order was cancelled, which is final: do not ship it; put its items back on the shelf.',
        order: current,
      }),
    )
    expect(verdict).toEqual({
      kind: 'conflict',
      problem: {
        type: 'about:blank',
        title: 'HTTP 409',
        status: 409,
        code: 'ORDER_FINAL',
        detail: 'This order was cancelled, which is final: do not ship it; put its items back on the shelf.',
        order: current,
      },
    })
  })

  it('409 VERSION_CONFLICT is a conflict too', () => {
    expect(classifyAnswer(problemAnswer(409, 'VERSION_CONFLICT', { order: stationOrder() })).kind).toBe('conflict')
  })

  it('404: the order is not on the station: a conflict (no order to show)', () => {
    const verdict = classifyAnswer(problemAnswer(404, 'NOT_FOUND', { detail: 'Order 1 is not on this station: pull the orders again.' }))
    expect(verdict.kind).toBe('conflict')
    expect(verdict).toMatchObject({ problem: { status: 404, code: 'NOT_FOUND', detail: 'Order 1 is not on this station: pull the orders again.' } })
    expect(verdict.kind === 'conflict' && 'order' in verdict.problem).toBe(false)
  })

  it.each(STATE_CODES)('422 %s (the order is not what the tablet thought): conflict', (code) => {
    const order = stationOrder({ status: 'shipping', revision: 7 })
    const verdict = classifyAnswer(problemAnswer(422, code, { order }))
    expect(verdict).toMatchObject({ kind: 'conflict', problem: { status: 422, code, order } })
  })

  it.each(REQUEST_CODES)('422 %s (the request itself is wrong): bug, never retried', (code) => {
    expect(classifyAnswer(problemAnswer(422, code))).toMatchObject({ kind: 'bug', problem: { status: 422, code } })
  })

  it('422 without a problem body is a bug with a readable fallback', () => {
    expect(classifyAnswer({ status: 422, body: null, retryAfterMs: null })).toEqual({
      kind: 'bug',
      problem: { type: 'about:blank', title: 'HTTP 422', status: 422, code: 'HTTP_422', detail: 'The station answered 422.' },
    })
  })

  it('428 (no Idempotency-Key) is a bug of this tablet, not retried', () => {
    expect(classifyAnswer(problemAnswer(428, 'IDEMPOTENCY_KEY_REQUIRED'))).toMatchObject({ kind: 'bug', problem: { status: 428, code: 'IDEMPOTENCY_KEY_REQUIRED' } })
  })

  it('413 (body too large) is a bug, not retried', () => {
    expect(classifyAnswer(problemAnswer(413, 'PAYLOAD_TOO_LARGE'))).toMatchObject({ kind: 'bug', problem: { status: 413, code: 'PAYLOAD_TOO_LARGE' } })
  })

  it('400 and 415 are bugs', () => {
    expect(classifyAnswer(problemAnswer(400, 'VALIDATION_FAILED')).kind).toBe('bug')
    expect(classifyAnswer(problemAnswer(415, 'VALIDATION_FAILED')).kind).toBe('bug')
  })

  it('429 is retried, honouring the station’s Retry-After', () => {
    expect(classifyAnswer(problemAnswer(429, 'TOO_MANY_REQUESTS', {}, 30_000))).toEqual({
      kind: 'retry',
      retryAfterMs: 30_000,
      reason: 'the station answered 429',
    })
  })

  it.each([500, 502, 503, 504])('%i is retried', (status) => {
    expect(classifyAnswer(problemAnswer(status, 'SERVER_ERROR'))).toEqual({ kind: 'retry', retryAfterMs: null, reason: `the station answered ${status}` })
  })

  it('503 with Retry-After passes the wait on', () => {
    expect(classifyAnswer(problemAnswer(503, 'UNAVAILABLE', {}, 120_000))).toMatchObject({ kind: 'retry', retryAfterMs: 120_000 })
  })

  it('a 5xx without a JSON body (a proxy’s HTML page) is still retried', () => {
    expect(classifyAnswer({ status: 502, body: null, retryAfterMs: null }).kind).toBe('retry')
  })
})
