import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAllegroSimulator, type RunningAllegro } from '../../support/allegro-simulator.ts'
import { createOrder, DAY, expectErrors, getForm, setFulfillment } from './helpers.ts'

/**
 * Reference §2 (PUT fulfillment: 204, 409 on a stale revision, 422 for RETURNED), §7 (the buyer's
 * cancel gates) and §8 (revisions change on the buyer's changes).
 */

let sim: RunningAllegro

beforeAll(async () => {
  sim = await startAllegroSimulator()
})
afterAll(() => sim?.close())

describe('PUT /order/checkout-forms/{id}/fulfillment', () => {
  it('sets PROCESSING, then READY_FOR_SHIPMENT, with the current revision: 204 and no body', async () => {
    const form = await createOrder(sim)
    const processing = await setFulfillment(sim, form.id, 'PROCESSING', form.revision)
    expect(processing.status, processing.text).toBe(204)
    expect(processing.text).toBe('')
    const after = await getForm(sim, form.id)
    expect(after.fulfillment.status).toBe('PROCESSING')
    expect(Date.parse(after.updatedAt)).toBeGreaterThanOrEqual(Date.parse(form.updatedAt))
    expect((await setFulfillment(sim, form.id, 'READY_FOR_SHIPMENT', after.revision)).status).toBe(204)
    expect((await getForm(sim, form.id)).fulfillment.status).toBe('READY_FOR_SHIPMENT')
  })

  it('is idempotent: the same status again is 204 and changes nothing', async () => {
    const form = await createOrder(sim)
    expect((await setFulfillment(sim, form.id, 'PROCESSING')).status).toBe(204)
    const once = await getForm(sim, form.id)
    expect((await setFulfillment(sim, form.id, 'PROCESSING')).status).toBe(204)
    expect(await getForm(sim, form.id)).toEqual(once)
  })

  it('answers 409 to a revision the buyer has made stale, and changes nothing', async () => {
    const form = await createOrder(sim)
    const modified = await sim.control('POST', `/_sim/orders/${form.id}/modify`, { address: { street: 'Nowa 1' } })
    expect(modified.status, modified.text).toBe(200)
    expect(modified.body.revision).not.toBe(form.revision)
    expect(modified.body.delivery.address).toMatchObject({ street: 'Nowa 1', modifiedAt: expect.any(String) })
    expectErrors(await setFulfillment(sim, form.id, 'PROCESSING', form.revision), 409)
    expect((await getForm(sim, form.id)).fulfillment.status).toBe('NEW')
    expect((await setFulfillment(sim, form.id, 'PROCESSING', modified.body.revision)).status).toBe(204)
  })

  it('refuses RETURNED to the seller with 422: only Allegro sets it', async () => {
    const form = await createOrder(sim)
    expect((await setFulfillment(sim, form.id, 'SENT')).status).toBe(204)
    expectErrors(await setFulfillment(sim, form.id, 'RETURNED'), 422)
    expect((await getForm(sim, form.id)).fulfillment.status).toBe('SENT')
    const byAllegro = await sim.control('POST', `/_sim/orders/${form.id}/fulfillment`, { status: 'RETURNED' })
    expect(byAllegro.body.fulfillment.status).toBe('RETURNED')
  })

  it('refuses an unknown status with 422 and an unknown order with 404', async () => {
    const form = await createOrder(sim)
    expectErrors(await setFulfillment(sim, form.id, 'SHIPPED'), 422)
    expectErrors(await sim.call('PUT', `/order/checkout-forms/${form.id}/fulfillment`, { body: {} }), 422)
    expectErrors(await setFulfillment(sim, '0b7a3c4e-0000-4000-8000-000000000000', 'PROCESSING'), 404)
  })

  it('allows any transition the seller asks for, back to NEW included (#4736)', async () => {
    const form = await createOrder(sim)
    for (const status of ['READY_FOR_SHIPMENT', 'NEW', 'SENT', 'PROCESSING', 'CANCELLED']) {
      expect((await setFulfillment(sim, form.id, status)).status).toBe(204)
    }
  })
})

describe('the buyer cancels (control API), under the gates of §7', () => {
  it('before PROCESSING: status CANCELLED, a new revision, fulfillment unchanged, BUYER_CANCELLED', async () => {
    const form = await createOrder(sim)
    const cancelled = await sim.control('POST', `/_sim/orders/${form.id}/cancel`)
    expect(cancelled.status, cancelled.text).toBe(200)
    const after = await getForm(sim, form.id)
    expect(after.status).toBe('CANCELLED')
    expect(after.fulfillment.status).toBe('NEW')
    expect(after.revision).not.toBe(form.revision)
    expectErrors(await setFulfillment(sim, form.id, 'PROCESSING', form.revision), 409)
    // The seller cannot cancel an order; the fulfillment CANCELLED is theirs to set.
    expect((await setFulfillment(sim, form.id, 'CANCELLED', after.revision)).status).toBe(204)
  })

  it('is refused once the seller set PROCESSING, READY_FOR_SHIPMENT or SENT', async () => {
    for (const status of ['PROCESSING', 'READY_FOR_SHIPMENT', 'SENT']) {
      const form = await createOrder(sim)
      expect((await setFulfillment(sim, form.id, status)).status).toBe(204)
      const refused = await sim.control('POST', `/_sim/orders/${form.id}/cancel`)
      expect(refused.status, status).toBe(409)
      expect(refused.body.errors[0].message).toContain(status)
      expect((await getForm(sim, form.id)).status).toBe('READY_FOR_PROCESSING')
      expect((await sim.control('POST', `/_sim/orders/${form.id}/modify`)).status).toBe(409)
    }
  })

  it('is refused once the order has a waybill, and after 3 days', async () => {
    const form = await createOrder(sim)
    expect((await sim.call('POST', `/order/checkout-forms/${form.id}/shipments`, { body: { carrierId: 'DPD', waybill: 'DPD0099' } })).status).toBe(201)
    expect((await sim.control('POST', `/_sim/orders/${form.id}/cancel`)).status).toBe(409)
    const old = await createOrder(sim)
    sim.advance(3 * DAY + 60_000)
    expect((await sim.control('POST', `/_sim/orders/${old.id}/cancel`)).status).toBe(409)
    // Three days outlive the 12-hour access token.
    sim.token = sim.sim.issueTokens().access_token
  })

  it('can be forced (a cancellation arriving late anyway), and Allegro auto-cancels only the unpaid', async () => {
    const form = await createOrder(sim)
    expect((await setFulfillment(sim, form.id, 'PROCESSING')).status).toBe(204)
    expect((await sim.control('POST', `/_sim/orders/${form.id}/cancel`, { force: true })).body.status).toBe('CANCELLED')
    const unpaid = await createOrder(sim, { status: 'FILLED_IN' })
    expect((await sim.control('POST', `/_sim/orders/${unpaid.id}/cancel`, { auto: true })).body.status).toBe('CANCELLED')
    const paid = await createOrder(sim)
    expect((await sim.control('POST', `/_sim/orders/${paid.id}/cancel`, { auto: true })).status).toBe(409)
    const events = (await sim.call('GET', '/order/events', { query: { type: 'AUTO_CANCELLED' } })).body.events
    expect(events.map((e: { order: { checkoutForm: { id: string } } }) => e.order.checkoutForm.id)).toEqual([unpaid.id])
  })
})
