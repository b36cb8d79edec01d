import { describe, expect, it } from 'vitest'
import {
  checkStatusChange,
  checkTracking,
  reviewStatusChange,
  trackingLinkWarning,
  type OrderForChange,
  type StatusChange,
} from '#core/status.ts'
import { expectOneActionableSentence } from './fixtures.ts'

// 2024-03-20 12:00:00 UTC = 2024-03-20 13:00:00 in Prague (CET, +01:00).
const NOW = new Date(Date.UTC(2024, 2, 20, 12, 0, 0))
const TRACKING = { tracking_number: 'DPD-1234_56', tracking_url: 'https://tracking.dpd.cz/parcel/DPD-1234_56' }

function order(overrides: Partial<OrderForChange> = {}): OrderForChange {
  return { status: 'open', confirmed: true, mdp: false, has_labels: false, shipped: null, ...overrides }
}

const shippedOrder = (overrides: Partial<OrderForChange> = {}) =>
  order({ status: 'shipped', shipped: '2024-03-14 08:00:00', ...overrides })

function check(o: OrderForChange, change: StatusChange, actor: 'seller' | 'marketplace' = 'seller') {
  return checkStatusChange(o, change, actor, NOW)
}

/** The codes of the warnings of an accepted change (fails when the change is refused). */
function warned(o: OrderForChange, change: StatusChange, actor: 'seller' | 'marketplace' = 'seller') {
  const review = reviewStatusChange(o, change, actor, NOW)
  expect(review.refusal).toBeNull()
  return review.warnings
}

const codes = (warnings: { code: string }[]) => warnings.map((w) => w.code)

describe('leaving open needs the order confirmed', () => {
  it.each(['shipping', 'shipped', 'cancelled'] as const)('refuses open → %s on an unconfirmed order', (to) => {
    const change: StatusChange = to === 'shipped' ? { status: to, ...TRACKING } : { status: to }
    const refusal = check(order({ confirmed: false }), change)
    expect(refusal?.code).toBe('CONFIRMATION_REQUIRED')
    expect(refusal?.message).toBe('Confirm the order before it leaves open: send confirmed: true with this change.')
    expect(refusal?.attributes).toEqual({ from: 'open', to })
  })

  it('accepts the confirmation in the same change', () => {
    expect(check(order({ confirmed: false }), { status: 'shipping', confirmed: true })).toBeNull()
    expect(check(order({ confirmed: false }), { status: 'shipped', confirmed: true, ...TRACKING })).toBeNull()
  })

  it('accepts an already confirmed order without sending confirmed again', () => {
    expect(check(order({ confirmed: true }), { status: 'shipping' })).toBeNull()
  })

  it('accepts confirming alone, without a status', () => {
    expect(check(order({ confirmed: false }), { confirmed: true })).toBeNull()
  })

  it('does not ask the marketplace to confirm before it cancels an open order', () => {
    expect(check(order({ confirmed: false }), { status: 'cancelled' }, 'marketplace')).toBeNull()
  })

  it('does not need confirmation to move on from shipping', () => {
    expect(check(order({ status: 'shipping', confirmed: false }), { status: 'shipped', ...TRACKING })).toBeNull()
  })
})

describe('shipped needs tracking number and tracking link', () => {
  it.each([
    ['no tracking at all', {}],
    ['number only', { tracking_number: 'ABC123' }],
    ['link only', { tracking_url: 'https://carrier.example/t/ABC123' }],
    ['empty number', { tracking_number: '', tracking_url: 'https://carrier.example/t/ABC123' }],
    ['empty link', { tracking_number: 'ABC123', tracking_url: '' }],
    ['null number', { tracking_number: null, tracking_url: 'https://carrier.example/t/ABC123' }],
  ])('refuses shipped with %s', (_label, fields) => {
    const refusal = check(order({ status: 'shipping' }), { status: 'shipped', ...fields })
    expect(refusal?.code).toBe('TRACKING_REQUIRED')
    expect(refusal?.message).toBe('Enter the parcel’s tracking number and tracking link before marking the order shipped.')
  })

  it('refuses open → shipped without tracking too', () => {
    expect(check(order(), { status: 'shipped' })?.code).toBe('TRACKING_REQUIRED')
  })

  it.each(['ABC 123', 'ABC/123', 'ABC.123', 'ŽLUŤ123', 'ABC123\n', ' ABC123', 'ABC#1', 'ABC+1'])(
    'refuses tracking number %j (only 0-9 a-z A-Z - _)',
    (trackingNumber) => {
      const refusal = check(order({ status: 'shipping' }), {
        status: 'shipped',
        tracking_number: trackingNumber,
        tracking_url: 'https://carrier.example/t/1',
      })
      expect(refusal?.code).toBe('TRACKING_NUMBER_INVALID')
      expectOneActionableSentence(refusal, /tracking number/)
      expect(refusal?.message).toContain('letters, digits, - and _')
      expect(refusal?.attributes).toEqual({ tracking_number: trackingNumber })
    },
  )

  it('reads the exact sentence for a tracking number with a space', () => {
    const refusal = check(order({ status: 'shipping' }), {
      status: 'shipped',
      tracking_number: 'AB 123',
      tracking_url: 'https://carrier.example/t/1',
    })
    expect(refusal?.message).toBe(
      'The tracking number “AB 123” has characters the marketplace refuses: use only letters, digits, - and _ (no spaces).',
    )
  })

  it.each(['abc', 'XYZ-09_az', '0', 'a_b-c', '1234567890123456789012345'])('accepts tracking number %j', (trackingNumber) => {
    expect(
      check(order({ status: 'shipping' }), { status: 'shipped', tracking_number: trackingNumber, tracking_url: 'http://c.example/x' }),
    ).toBeNull()
  })

  // No source limits what the link looks like: MALL takes it, the packer is warned.
  it.each(['carrier.example/t/1', 'ftp://carrier.example/t/1', 'javascript:alert(1)', 'https://', 'mailto:a@b.cz', 'not a url'])(
    'accepts tracking link %j, warning that it is not a web address',
    (trackingUrl) => {
      const warnings = warned(order({ status: 'shipping' }), { status: 'shipped', tracking_number: 'ABC123', tracking_url: trackingUrl })
      expect(codes(warnings)).toEqual(['TRACKING_URL_NOT_WEB_ADDRESS'])
      expectOneActionableSentence(warnings[0] ?? null, /tracking link/)
      expect(warnings[0]?.message).toContain('https://')
      expect(warnings[0]?.attributes).toEqual({ tracking_url: trackingUrl })
    },
  )

  it.each(['https://carrier.example/t/ABC123', 'http://carrier.example/?n=ABC123', 'HTTPS://CARRIER.EXAMPLE/T'])(
    'accepts tracking link %j',
    (trackingUrl) => {
      expect(warned(order({ status: 'shipping' }), { status: 'shipped', tracking_number: 'ABC123', tracking_url: trackingUrl })).toEqual([])
    },
  )

  it('checkTracking refuses a tracking number that is not a string; a link that is not one is only warned about', () => {
    expect(checkTracking(123456, 'https://carrier.example/t/1')?.code).toBe('TRACKING_NUMBER_INVALID')
    expect(checkTracking('ABC', 42)).toBeNull()
    expect(trackingLinkWarning(42)?.code).toBe('TRACKING_URL_NOT_WEB_ADDRESS')
    expect(checkTracking('ABC', 'https://carrier.example/t/1')).toBeNull()
    expect(trackingLinkWarning('https://carrier.example/t/1')).toBeNull()
  })
})

describe('tracking sent with another change is accepted and kept, with a warning', () => {
  // MALL's own PHP client (example/Order.php) sends tracking with status shipping; no source refuses it.
  it.each([
    ['open → shipping', order(), { status: 'shipping' }],
    ['open → shipping, confirming (as MALL’s PHP client example does)', order({ confirmed: false }), { status: 'shipping', confirmed: true }],
    ['open → cancelled', order(), { status: 'cancelled' }],
    ['shipping → cancelled', order({ status: 'shipping' }), { status: 'cancelled' }],
    ['confirm only', order({ confirmed: false }), { confirmed: true }],
  ] as const)('accepts tracking with %s', (_label, o, change) => {
    const warnings = warned(o, { ...change, ...TRACKING })
    expect(codes(warnings)).toEqual(['TRACKING_BEFORE_SHIPPED'])
    expect(warnings[0]?.message).toBe('The tracking is kept on the order, but it must go again with status shipped when the parcel leaves.')
  })

  it('still refuses characters MALL refuses in the number, whatever the change', () => {
    const refusal = check(order(), { status: 'shipping', confirmed: true, tracking_number: 'AB 12', tracking_url: TRACKING.tracking_url })
    expect(refusal?.code).toBe('TRACKING_NUMBER_INVALID')
  })

  it('accepts a tracking number alone on a non-shipped target', () => {
    expect(codes(warned(order(), { status: 'shipping', tracking_number: 'ABC' }))).toEqual(['TRACKING_BEFORE_SHIPPED'])
  })

  it('on a shipped order, replaces its tracking and says so', () => {
    expect(codes(warned(shippedOrder(), { status: 'delivered', delivered_at: '2024-03-15 10:00:00', ...TRACKING }))).toEqual(['TRACKING_REPLACED'])
    expect(codes(warned(shippedOrder(), { status: 'shipped', ...TRACKING }))).toEqual(['STATUS_UNCHANGED', 'TRACKING_REPLACED'])
  })
})

describe('MALL Delivery orders', () => {
  const mdpShipping = (hasLabels: boolean) => order({ status: 'shipping', mdp: true, has_labels: hasLabels })

  it('needs labels before the seller marks it shipped', () => {
    const refusal = check(mdpShipping(false), { status: 'shipped' })
    expect(refusal?.code).toBe('LABELS_REQUIRED')
    expect(refusal?.message).toBe(
      'Print the MALL Delivery labels for this order (with its parcel count) before marking it shipped.',
    )
    expect(check(mdpShipping(true), { status: 'shipped' })).toBeNull()
  })

  it('treats has_labels left out as no labels', () => {
    expect(check({ status: 'shipping', confirmed: true, mdp: true }, { status: 'shipped' })?.code).toBe('LABELS_REQUIRED')
  })

  it('accepts tracking from the seller, warning that MALL fills it in and it is not kept', () => {
    const warnings = warned(mdpShipping(true), { status: 'shipped', ...TRACKING })
    expect(codes(warnings)).toEqual(['TRACKING_SET_BY_MARKETPLACE'])
    expect(warnings[0]?.message).toBe('MALL fills in the tracking of MALL Delivery parcels itself: the tracking sent was not kept.')
    expect(codes(warned(order({ mdp: true, confirmed: false }), { status: 'shipping', confirmed: true, ...TRACKING }))).toEqual([
      'TRACKING_SET_BY_MARKETPLACE',
    ])
  })

  it('still needs labels when the seller sends tracking', () => {
    expect(check(mdpShipping(false), { status: 'shipped', ...TRACKING })?.code).toBe('LABELS_REQUIRED')
  })

  it('does not need tracking from the seller', () => {
    expect(check(mdpShipping(true), { status: 'shipped', confirmed: true })).toBeNull()
  })

  it('lets the marketplace ship it without labels recorded here', () => {
    expect(check(mdpShipping(false), { status: 'shipped' }, 'marketplace')).toBeNull()
  })

  it('lets the marketplace set delivered, returned and lost', () => {
    const o = shippedOrder({ mdp: true })
    expect(check(o, { status: 'delivered' }, 'marketplace')).toBeNull()
    expect(check(o, { status: 'returned' }, 'marketplace')).toBeNull()
    expect(check(o, { status: 'lost' }, 'marketplace')).toBeNull()
  })
})

describe('delivered needs delivered_at', () => {
  it('refuses delivered without delivered_at', () => {
    for (const change of [{ status: 'delivered' }, { status: 'delivered', delivered_at: '' }, { status: 'delivered', delivered_at: null }]) {
      const refusal = check(shippedOrder(), change)
      expect(refusal?.code).toBe('DELIVERED_AT_REQUIRED')
      expect(refusal?.message).toBe('Give the time the parcel was delivered before marking the order delivered.')
    }
  })

  it('refuses first_delivery_attempt without delivered_at', () => {
    const refusal = check(shippedOrder(), { status: 'delivered', first_delivery_attempt: '2024-03-15 10:00:00' })
    expect(refusal?.code).toBe('DELIVERED_AT_REQUIRED')
  })

  it('accepts a valid past delivered_at, with or without a first attempt', () => {
    expect(check(shippedOrder(), { status: 'delivered', delivered_at: '2024-03-15 10:05:00' })).toBeNull()
    expect(
      check(shippedOrder(), {
        status: 'delivered',
        delivered_at: '2024-03-15 10:05:00',
        first_delivery_attempt: '2024-03-14 16:40:00',
      }),
    ).toBeNull()
  })

  it.each(['2024-02-30 10:00:00', '2024-03-15T10:05:00', '2024-03-15T10:05:00Z', '15.03.2024 10:05', '2024-03-15', 'yesterday', '2024-03-15 25:00:00'])(
    'refuses delivered_at %j as not a date-time',
    (deliveredAt) => {
      const refusal = check(shippedOrder(), { status: 'delivered', delivered_at: deliveredAt })
      expect(refusal?.code).toBe('DATETIME_INVALID')
      expectOneActionableSentence(refusal, /YYYY-MM-DD HH:MM:SS/)
      expect(refusal?.attributes).toEqual({ field: 'delivered_at', value: deliveredAt })
    },
  )

  it('reads the exact sentence for an impossible date', () => {
    const refusal = check(shippedOrder(), { status: 'delivered', delivered_at: '2024-02-30 10:00:00' })
    expect(refusal?.message).toBe('The delivery time “2024-02-30 10:00:00” is not a date and time: write it as YYYY-MM-DD HH:MM:SS.')
  })

  it('accepts delivered_at in the future, warning about it', () => {
    // NOW is 13:00 Prague time; 14:00 the same day is an hour ahead.
    const warnings = warned(shippedOrder(), { status: 'delivered', delivered_at: '2024-03-20 14:00:00' })
    expect(codes(warnings)).toEqual(['DATETIME_IN_FUTURE'])
    expect(warnings[0]?.message).toBe('The delivery time 2024-03-20 14:00:00 lies in the future: check it is when it actually happened.')
    expect(codes(warned(shippedOrder(), { status: 'delivered', delivered_at: '2025-01-01 00:00:00' }))).toEqual(['DATETIME_IN_FUTURE'])
  })

  it('reads delivered_at as Prague time, not UTC', () => {
    // 12:30 Prague is 11:30 UTC, half an hour before NOW; read as UTC it would be in the future.
    expect(warned(shippedOrder(), { status: 'delivered', delivered_at: '2024-03-20 12:30:00' })).toEqual([])
    // Exactly now is fine.
    expect(warned(shippedOrder(), { status: 'delivered', delivered_at: '2024-03-20 13:00:00' })).toEqual([])
  })

  // Deliveries are recorded after the fact, imports carry past dates, and no source refuses one
  // before the shipped time: accepted, with a warning.
  it('accepts delivered_at before the order was shipped, warning about it', () => {
    const warnings = warned(shippedOrder(), { status: 'delivered', delivered_at: '2024-03-14 07:59:00' })
    expect(codes(warnings)).toEqual(['DELIVERED_BEFORE_SHIPPED'])
    expect(warnings[0]?.message).toBe(
      'The delivery time 2024-03-14 07:59:00 is before the order was shipped (2024-03-14 08:00:00): check the date.',
    )
    expect(warnings[0]?.attributes).toEqual({ delivered_at: '2024-03-14 07:59:00', shipped: '2024-03-14 08:00:00' })
    expect(codes(warned(shippedOrder(), { status: 'delivered', delivered_at: '2018-02-27 00:00:00' }))).toEqual(['DELIVERED_BEFORE_SHIPPED'])
    expect(warned(shippedOrder(), { status: 'delivered', delivered_at: '2024-03-14 08:00:00' })).toEqual([])
  })

  it('does not warn about a delivery typed to the minute in which the order shipped', () => {
    // "Mark delivered" offers the current minute; the order may have shipped seconds into it.
    expect(warned(shippedOrder({ shipped: '2024-03-20 12:59:41' }), { status: 'delivered', delivered_at: '2024-03-20 12:59:00' })).toEqual([])
  })

  it('does not compare with the shipped time when it is unknown', () => {
    expect(warned(shippedOrder({ shipped: null }), { status: 'delivered', delivered_at: '2020-01-01 00:00:00' })).toEqual([])
  })

  it('accepts a first delivery attempt after the delivery, warning about it', () => {
    const warnings = warned(shippedOrder(), {
      status: 'delivered',
      delivered_at: '2024-03-15 10:05:00',
      first_delivery_attempt: '2024-03-15 10:05:01',
    })
    expect(codes(warnings)).toEqual(['FIRST_ATTEMPT_AFTER_DELIVERY'])
    expect(warnings[0]?.message).toBe('The first delivery attempt comes after the delivery itself: check both times.')
    expect(
      warned(shippedOrder(), { status: 'delivered', delivered_at: '2024-03-15 10:05:00', first_delivery_attempt: '2024-03-15 10:05:00' }),
    ).toEqual([])
  })

  it('checks the first delivery attempt is a date-time', () => {
    const refusal = check(shippedOrder(), {
      status: 'delivered',
      delivered_at: '2024-03-15 10:05:00',
      first_delivery_attempt: '2024-03-14T16:40:00Z',
    })
    expect(refusal?.code).toBe('DATETIME_INVALID')
    expect(refusal?.attributes.field).toBe('first_delivery_attempt')
    expectOneActionableSentence(refusal, /first delivery attempt/)
  })
})

describe('delivery times with any other status are refused', () => {
  it.each([
    ['shipped → returned', shippedOrder(), { status: 'returned' }],
    ['shipping → shipped', order({ status: 'shipping' }), { status: 'shipped', ...TRACKING }],
    ['open → cancelled', order(), { status: 'cancelled' }],
    ['confirm only', order({ confirmed: false }), { confirmed: true }],
    ['shipped repeated', shippedOrder(), { status: 'shipped' }],
  ] as const)('refuses delivered_at with %s', (_label, o, change) => {
    const refusal = check(o, { ...change, delivered_at: '2024-03-15 10:05:00' })
    expect(refusal?.code).toBe('DELIVERED_AT_NOT_ALLOWED')
    expect(refusal?.message).toBe(
      'A delivery time can only be given when marking the order delivered: remove it, or choose delivered.',
    )
  })

  it('accepts a first delivery attempt alone with returned, warning that it is not kept', () => {
    // The source refuses only delivered_at with another status.
    const warnings = warned(shippedOrder(), { status: 'returned', first_delivery_attempt: '2024-03-15 10:05:00' })
    expect(codes(warnings)).toEqual(['FIRST_ATTEMPT_NOT_KEPT'])
    expect(warnings[0]?.attributes).toEqual({ status: 'returned' })
  })

  it('refuses delivered_at from the marketplace with a non-delivered status too', () => {
    expect(check(shippedOrder({ mdp: true }), { status: 'lost', delivered_at: '2024-03-15 10:05:00' }, 'marketplace')?.code).toBe(
      'DELIVERED_AT_NOT_ALLOWED',
    )
  })
})

describe('malformed changes', () => {
  it('accepts confirmed: false from the seller, warning that it is ignored', () => {
    for (const change of [{ confirmed: false }, { status: 'shipping', confirmed: false }]) {
      const warnings = warned(order(), change)
      expect(codes(warnings)).toEqual(['CONFIRMED_NOT_UNSET'])
      expect(warnings[0]?.message).toBe('Only the marketplace un-confirms an order: confirmed: false was ignored.')
    }
  })

  it('accepts an empty change as a no-op, warning that nothing changed', () => {
    for (const change of [{}, { status: null }, { status: undefined, confirmed: null }]) {
      const warnings = warned(order(), change)
      expect(codes(warnings)).toEqual(['NOTHING_TO_CHANGE'])
      expectOneActionableSentence(warnings[0] ?? null, /change/)
    }
  })

  it.each(['SHIPPED', 'packed', 'canceled', '', 'Open', 'shipped '])('refuses unknown status %j', (status) => {
    const refusal = check(order(), { status })
    expect(refusal?.code).toBe('STATUS_UNKNOWN')
    expectOneActionableSentence(refusal, /shipping, shipped, delivered, returned or cancelled/)
    expect(refusal?.attributes).toEqual({ status })
  })

  it('refuses an unknown status from the marketplace too', () => {
    expect(check(order(), { status: 'storno' }, 'marketplace')?.code).toBe('STATUS_UNKNOWN')
  })

  it('reads the exact sentence for an unknown status', () => {
    expect(check(order(), { status: 'packed' })?.message).toBe(
      '“packed” is not an order status: use shipping, shipped, delivered, returned or cancelled.',
    )
  })
})

describe('blocked orders', () => {
  const blocked = order({ status: 'blocked', confirmed: false })

  it.each([
    ['confirm only', { confirmed: true }],
    ['shipping', { status: 'shipping', confirmed: true }],
    ['cancelled', { status: 'cancelled' }],
    ['blocked repeated', { status: 'blocked' }],
  ] as const)('refuses the seller: %s', (_label, change) => {
    const refusal = check(blocked, change)
    expect(refusal?.code).toBe('ORDER_BLOCKED')
    expectOneActionableSentence(refusal, /payment/)
  })

  it('lets the marketplace open or cancel it', () => {
    expect(check(blocked, { status: 'open' }, 'marketplace')).toBeNull()
    expect(check(blocked, { status: 'cancelled' }, 'marketplace')).toBeNull()
  })
})

describe('repeating the current status', () => {
  it.each(['open', 'shipping', 'shipped'] as const)('is a no-op the seller may send for %s', (status) => {
    expect(check(order({ status, shipped: '2024-03-14 08:00:00' }), { status })).toBeNull()
  })

  it.each(['returned', 'cancelled', 'lost'] as const)('is a no-op the seller may send for the final status %s, with a warning', (status) => {
    // A states import sent twice repeats final statuses; no source refuses that.
    const warnings = warned(order({ status }), { status })
    expect(codes(warnings)).toEqual(['STATUS_UNCHANGED'])
    expect(warnings[0]?.message).toBe(`The order is already ${status}, so its status did not change; MALL asks not to send a status again.`)
    expect(check(order({ status }), { status }, 'marketplace')?.code).toBe('ORDER_FINAL')
  })

  it('takes delivered again with its delivery time, and refuses it without one', () => {
    const delivered = order({ status: 'delivered' })
    expect(codes(warned(delivered, { status: 'delivered', delivered_at: '2018-02-27 00:00:00' }))).toEqual(['STATUS_UNCHANGED'])
    expect(check(delivered, { status: 'delivered' })?.code).toBe('DELIVERED_AT_REQUIRED')
  })

  it('lets the seller confirm a final order (acknowledging a cancellation)', () => {
    expect(check(order({ status: 'cancelled', confirmed: false }), { confirmed: true })).toBeNull()
  })
})

describe('the clock', () => {
  it('takes now as a number as well as a Date', () => {
    const change = { status: 'delivered', delivered_at: '2024-03-20 14:00:00' }
    expect(codes(reviewStatusChange(shippedOrder(), change, 'seller', NOW.getTime()).warnings)).toEqual(['DATETIME_IN_FUTURE'])
    expect(reviewStatusChange(shippedOrder(), change, 'seller', Date.UTC(2024, 2, 20, 14, 0, 0))).toEqual({ refusal: null, warnings: [] })
  })
})
