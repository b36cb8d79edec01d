import { describe, expect, it } from 'vitest'
import { ORDER_STATUSES, type OrderStatus } from '#core/order.ts'
import {
  checkStatusChange,
  nextStatuses,
  type Actor,
  type OrderForChange,
  type RefusalCode,
  type StatusChange,
} from '#core/status.ts'
import { expectOneActionableSentence } from './fixtures.ts'

/*
 * The expected tables are written by hand from MALL's orders API v1 documentation (order
 * statuses and who may change them). Each row lists every target the actor may ask for from that
 * status, INCLUDING repeating the current status (a no-op) where that is accepted.
 *
 * - Seller: open → shipping | shipped | cancelled; shipping → shipped | cancelled;
 *   shipped → delivered | returned. A blocked order cannot be touched by the seller at all
 *   (not even a repeat of blocked). Nothing leaves a final status; the seller repeating it is a
 *   no-op (no source refuses it), the marketplace's repeat is refused.
 * - Seller, MALL Delivery: no open → shipped (must go through shipping); no delivered/returned.
 * - Marketplace: blocked → open | cancelled; open → cancelled; shipping → cancelled;
 *   MALL Delivery only: shipping → shipped, shipped → delivered | returned | lost.
 */
type Table = Readonly<Record<OrderStatus, readonly OrderStatus[]>>

const NO_TARGETS = { delivered: [], returned: [], cancelled: [], lost: [] } as const
const REPEATS_ONLY = { delivered: ['delivered'], returned: ['returned'], cancelled: ['cancelled'], lost: ['lost'] } as const

const EXPECTED: Readonly<Record<Actor, { normal: Table; mdp: Table }>> = {
  seller: {
    normal: {
      blocked: [],
      open: ['open', 'shipping', 'shipped', 'cancelled'],
      shipping: ['shipping', 'shipped', 'cancelled'],
      shipped: ['shipped', 'delivered', 'returned'],
      ...REPEATS_ONLY,
    },
    mdp: {
      blocked: [],
      open: ['open', 'shipping', 'cancelled'],
      shipping: ['shipping', 'shipped', 'cancelled'],
      shipped: ['shipped'],
      ...REPEATS_ONLY,
    },
  },
  marketplace: {
    normal: {
      blocked: ['blocked', 'open', 'cancelled'],
      open: ['open', 'cancelled'],
      shipping: ['shipping', 'cancelled'],
      shipped: ['shipped'],
      ...NO_TARGETS,
    },
    mdp: {
      blocked: ['blocked', 'open', 'cancelled'],
      open: ['open', 'cancelled'],
      shipping: ['shipping', 'shipped', 'cancelled'],
      shipped: ['shipped', 'delivered', 'returned', 'lost'],
      ...NO_TARGETS,
    },
  },
}

const FINAL: readonly OrderStatus[] = ['delivered', 'returned', 'cancelled', 'lost']
const TRANSITION_CODES: readonly RefusalCode[] = [
  'TRANSITION_NOT_ALLOWED',
  'STATUS_SET_BY_MARKETPLACE',
  'MDP_SHIPPING_REQUIRED',
  'ORDER_FINAL',
  'ORDER_BLOCKED',
]

/** The specific code a refused pair must carry, where the rules name one (written by hand). */
function expectedRefusalCode(actor: Actor, mdp: boolean, from: OrderStatus, to: OrderStatus): RefusalCode | 'any' {
  if (FINAL.includes(from)) return 'ORDER_FINAL'
  if (actor === 'seller') {
    if (from === 'blocked') return 'ORDER_BLOCKED'
    if (to === 'blocked' || to === 'open' || to === 'lost') return 'STATUS_SET_BY_MARKETPLACE'
    if (mdp && from === 'open' && to === 'shipped') return 'MDP_SHIPPING_REQUIRED'
    if (mdp && from === 'shipped' && (to === 'delivered' || to === 'returned')) return 'STATUS_SET_BY_MARKETPLACE'
    if (!mdp) return 'TRANSITION_NOT_ALLOWED'
    return 'any'
  }
  return 'TRANSITION_NOT_ALLOWED'
}

const NOW = Date.UTC(2024, 2, 20, 12, 0, 0) // 2024-03-20 13:00:00 in Prague

function orderIn(status: OrderStatus, mdp: boolean): OrderForChange {
  return { status, confirmed: true, mdp, has_labels: true, shipped: '2024-03-14 08:00:00' }
}

/** The fields a real request for this target carries. */
function changeTo(from: OrderStatus, to: OrderStatus, mdp: boolean): StatusChange {
  if (from === to) return to === 'delivered' ? { status: to, delivered_at: '2024-03-15 10:05:00' } : { status: to }
  if (to === 'shipped' && !mdp) {
    return { status: to, tracking_number: 'DPD-1234_56', tracking_url: 'https://tracking.dpd.cz/parcel/DPD-1234_56' }
  }
  if (to === 'delivered') return { status: to, delivered_at: '2024-03-15 10:05:00' }
  return { status: to }
}

const CASES = (['seller', 'marketplace'] as const).flatMap((actor) =>
  [false, true].flatMap((mdp) =>
    ORDER_STATUSES.flatMap((from) =>
      ORDER_STATUSES.map((to) => ({
        actor,
        mdp,
        from,
        to,
        allowed: EXPECTED[actor][mdp ? 'mdp' : 'normal'][from].includes(to),
      })),
    ),
  ),
)

describe('status machine: every (from, to) pair for both actors, normal and MALL Delivery', () => {
  it('covers 2 actors × 2 order kinds × 8 × 8 statuses', () => {
    expect(CASES).toHaveLength(256)
    expect(CASES.filter((c) => c.allowed)).toHaveLength(
      // seller normal 10 + 4 repeats + seller mdp 7 + 4 repeats + marketplace normal 8 + marketplace mdp 12
      45,
    )
  })

  it.each(CASES)(
    '$actor, mdp=$mdp: $from → $to is allowed=$allowed',
    ({ actor, mdp, from, to, allowed }) => {
      const refusal = checkStatusChange(orderIn(from, mdp), changeTo(from, to, mdp), actor, NOW)
      if (allowed) {
        expect(refusal).toBeNull()
        return
      }
      expect(refusal).not.toBeNull()
      expect(TRANSITION_CODES).toContain(refusal!.code)
      const code = expectedRefusalCode(actor, mdp, from, to)
      if (code !== 'any') expect(refusal!.code).toBe(code)
      expectOneActionableSentence(refusal)
    },
  )
})

describe('nextStatuses', () => {
  const rows = (['seller', 'marketplace'] as const).flatMap((actor) =>
    [false, true].flatMap((mdp) => ORDER_STATUSES.map((from) => ({ actor, mdp, from }))),
  )
  it.each(rows)('$actor, mdp=$mdp, from $from lists exactly the allowed moves', ({ actor, mdp, from }) => {
    const expected = EXPECTED[actor][mdp ? 'mdp' : 'normal'][from].filter((to) => to !== from)
    expect([...nextStatuses({ status: from, mdp }, actor)].sort()).toEqual([...expected].sort())
  })

  it('never offers anything after a final status', () => {
    for (const status of FINAL) {
      for (const actor of ['seller', 'marketplace'] as const) {
        for (const mdp of [false, true]) expect(nextStatuses({ status, mdp }, actor)).toEqual([])
      }
    }
  })

  it('returns a fresh array each time (callers may not corrupt the rules)', () => {
    const first = nextStatuses({ status: 'open', mdp: false }, 'seller')
    first.push('lost')
    expect(nextStatuses({ status: 'open', mdp: false }, 'seller')).toEqual(['shipping', 'shipped', 'cancelled'])
  })
})

describe('transition refusals a packer reads', () => {
  it('explains where a non-MDP shipping order can go', () => {
    const refusal = checkStatusChange(orderIn('shipping', false), { status: 'delivered', delivered_at: '2024-03-15 10:05:00' }, 'seller', NOW)
    expect(refusal?.code).toBe('TRANSITION_NOT_ALLOWED')
    expect(refusal?.message).toBe(
      'An order that is shipping cannot be moved to delivered: from shipping it can only go to shipped or cancelled.',
    )
    expect(refusal?.attributes).toEqual({ from: 'shipping', to: 'delivered' })
  })

  it('tells the packer a MALL Delivery order must go through shipping and labels', () => {
    const refusal = checkStatusChange(orderIn('open', true), { status: 'shipped' }, 'seller', NOW)
    expect(refusal?.code).toBe('MDP_SHIPPING_REQUIRED')
    expect(refusal?.message).toBe(
      'A MALL Delivery order cannot skip packing: move it to shipping and print its labels first.',
    )
  })

  it('tells the packer a cancelled order must not be shipped', () => {
    const refusal = checkStatusChange(orderIn('cancelled', false), { status: 'shipped' }, 'seller', NOW)
    expect(refusal?.code).toBe('ORDER_FINAL')
    expect(refusal?.message).toBe(
      'This order was cancelled, which is final: do not ship it; put its items back on the shelf.',
    )
  })

  it('says delivered is final', () => {
    const refusal = checkStatusChange(orderIn('delivered', false), { status: 'returned' }, 'seller', NOW)
    expect(refusal?.code).toBe('ORDER_FINAL')
    expectOneActionableSentence(refusal, /delivered/)
    expectOneActionableSentence(refusal, /final/)
  })

  it('names the marketplace when the seller asks for a marketplace-only status', () => {
    for (const to of ['open', 'blocked', 'lost'] as const) {
      const refusal = checkStatusChange(orderIn('shipping', false), { status: to }, 'seller', NOW)
      expect(refusal?.code).toBe('STATUS_SET_BY_MARKETPLACE')
      expectOneActionableSentence(refusal, /marketplace/i)
      expect(refusal?.message).toContain(to)
    }
  })

  it('names MALL when the seller tries to deliver a MALL Delivery order', () => {
    const refusal = checkStatusChange(orderIn('shipped', true), { status: 'delivered', delivered_at: '2024-03-15 10:05:00' }, 'seller', NOW)
    expect(refusal?.code).toBe('STATUS_SET_BY_MARKETPLACE')
    expectOneActionableSentence(refusal, /MALL/)
  })

  it('refuses the seller on a blocked order with a sentence about waiting for payment', () => {
    const refusal = checkStatusChange(orderIn('blocked', false), { status: 'cancelled' }, 'seller', NOW)
    expect(refusal?.code).toBe('ORDER_BLOCKED')
    expect(refusal?.message).toBe('This order is still waiting for payment at the marketplace: leave it until it opens.')
  })
})
