import { describe, expect, it } from 'vitest'
import type { OrderStatus } from '../../../src/domain/order.ts'
import { checkTrackingChange } from '../../../src/domain/status.ts'
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

  it.each(['open', 'shipping', 'shipped', 'delivered'] as OrderStatus[])('refuses any correction of a MALL Delivery order (%s)', (status) => {
    const refusal = checkTrackingChange({ status, mdp: true }, GOOD)
    expect(refusal?.code).toBe('TRACKING_SET_BY_MARKETPLACE')
    expectOneActionableSentence(refusal, /tracking/)
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

  it('refuses a link that is not http(s)', () => {
    const refusal = checkTrackingChange({ status: 'shipped', mdp: false }, { ...GOOD, tracking_url: 'www.ppl.cz/x' })
    expect(refusal?.code).toBe('TRACKING_URL_INVALID')
    expect(refusal?.message).toBe('The tracking link “www.ppl.cz/x” is not a web address: it must start with https:// or http://.')
  })
})
