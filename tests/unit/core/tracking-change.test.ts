import { describe, expect, it } from 'vitest'
import type { OrderStatus } from '#core/order.ts'
import { checkTrackingChange, reviewTrackingChange } from '#core/status.ts'
import { expectOneActionableSentence } from './fixtures.ts'

const GOOD = { tracking_number: 'PPL_0042-x', tracking_url: 'https://www.ppl.cz/vyhledat-zasilku?shipmentId=PPL_0042-x' }

describe('checkTrackingChange (PUT /v1/orders/{id}/tracking)', () => {
  it('accepts a correction while shipped', () => {
    expect(checkTrackingChange({ status: 'shipped', mdp: false }, GOOD)).toBeNull()
  })

  it.each(['blocked', 'open', 'shipping', 'delivered', 'returned', 'cancelled', 'lost'] as OrderStatus[])(
    'refuses a correction while %s',
    (status) => {
      const refusal = checkTrackingChange({ status, mdp: false }, GOOD)
      expect(refusal?.code).toBe('TRACKING_NOT_ALLOWED')
      expect(refusal?.message).toBe(`Tracking can only be corrected while the order is shipped; this one is ${status}.`)
      expect(refusal?.attributes).toEqual({ status })
    },
  )

  it.each(['open', 'shipping', 'delivered'] as OrderStatus[])('refuses a correction of a MALL Delivery order while %s, as of any order', (status) => {
    expect(checkTrackingChange({ status, mdp: true }, GOOD)?.code).toBe('TRACKING_NOT_ALLOWED')
  })

  it('accepts a correction of a shipped MALL Delivery order, warning that MALL’s tracking stays', () => {
    // No source refuses it; MALL fills in MALL Delivery tracking itself.
    const review = reviewTrackingChange({ status: 'shipped', mdp: true }, GOOD)
    expect(review.refusal).toBeNull()
    expect(review.warnings.map((w) => w.code)).toEqual(['TRACKING_SET_BY_MARKETPLACE'])
    expectOneActionableSentence(review.warnings[0] ?? null, /tracking/)
  })

  it.each(['AB 12', 'AB/12', 'čí12', 'AB,12'])('refuses tracking number %j', (trackingNumber) => {
    const refusal = checkTrackingChange({ status: 'shipped', mdp: false }, { ...GOOD, tracking_number: trackingNumber })
    expect(refusal?.code).toBe('TRACKING_NUMBER_INVALID')
    expectOneActionableSentence(refusal, /tracking number/)
  })

  it('refuses a missing number or link', () => {
    expect(checkTrackingChange({ status: 'shipped', mdp: false }, { tracking_number: 'ABC' })?.code).toBe('TRACKING_REQUIRED')
    expect(checkTrackingChange({ status: 'shipped', mdp: false }, { tracking_url: GOOD.tracking_url })?.code).toBe('TRACKING_REQUIRED')
  })

  it('accepts a link that is not http(s), with a warning', () => {
    const review = reviewTrackingChange({ status: 'shipped', mdp: false }, { ...GOOD, tracking_url: 'www.ppl.cz/x' })
    expect(review.refusal).toBeNull()
    expect(review.warnings).toEqual([
      {
        code: 'TRACKING_URL_NOT_WEB_ADDRESS',
        message: 'The tracking link “www.ppl.cz/x” is not a web address (https:// or http://): customers may not be able to open it.',
        attributes: { tracking_url: 'www.ppl.cz/x' },
      },
    ])
    expect(reviewTrackingChange({ status: 'shipped', mdp: false }, GOOD)).toEqual({ refusal: null, warnings: [] })
  })
})
