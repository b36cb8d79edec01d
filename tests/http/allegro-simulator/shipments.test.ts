import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAllegroSimulator, type RunningAllegro } from '../../support/allegro-simulator.ts'
import { createOrder, expectErrors, getForm, ISO_TIME } from './helpers.ts'

/** Reference §4 "Tracking (seller's own carrier)": carriers, adding and reading waybills. */

let sim: RunningAllegro

beforeAll(async () => {
  sim = await startAllegroSimulator()
})
afterAll(() => sim?.close())

function addWaybill(id: string, body: unknown) {
  return sim.call('POST', `/order/checkout-forms/${id}/shipments`, { body })
}

describe('GET /order/carriers', () => {
  it('lists carriers with ids, OTHER among them, cacheable', async () => {
    const response = await sim.call('GET', '/order/carriers')
    expect(response.status).toBe(200)
    const ids = response.body.carriers.map((c: { id: string }) => c.id)
    for (const id of ['DHL', 'POCZTA_POLSKA', 'OTHER']) expect(ids).toContain(id)
    expect(response.headers.get('cache-control')).toMatch(/max-age=\d+/)
  })
})

describe('POST and GET /order/checkout-forms/{id}/shipments', () => {
  it('adds a waybill for every line (201) and lists it; lineItemsSent becomes ALL', async () => {
    const form = await createOrder(sim, { marketplace: 'allegro-cz' })
    expect((await sim.call('GET', `/order/checkout-forms/${form.id}/shipments`)).body).toEqual({ shipments: [] })
    const added = await addWaybill(form.id, { carrierId: 'PPL', waybill: '40123456789' })
    expect(added.status, added.text).toBe(201)
    expect(added.body).toMatchObject({ waybill: '40123456789', carrierId: 'PPL', createdAt: expect.stringMatching(ISO_TIME) })
    expect(added.body.lineItems.map((l: { id: string }) => l.id).sort()).toEqual(form.lineItems.map((l: { id: string }) => l.id).sort())
    expect((await sim.call('GET', `/order/checkout-forms/${form.id}/shipments`)).body.shipments).toEqual([added.body])
    const after = await getForm(sim, form.id)
    expect(after.fulfillment.shipmentSummary.lineItemsSent).toBe('ALL')
    // The seller's "waybill sets SENT" setting is off here: the status is the seller's to set.
    expect(after.fulfillment.status).toBe('NEW')
  })

  it('is not idempotent: the same call twice adds two shipments', async () => {
    const form = await createOrder(sim)
    expect((await addWaybill(form.id, { carrierId: 'DPD', waybill: 'DPD777' })).status).toBe(201)
    expect((await addWaybill(form.id, { carrierId: 'DPD', waybill: 'DPD777' })).status).toBe(201)
    expect((await sim.call('GET', `/order/checkout-forms/${form.id}/shipments`)).body.shipments).toHaveLength(2)
  })

  it('covers some lines only when told, and keeps OTHER’s carrierName', async () => {
    const offers = (await sim.control('GET', '/_sim/offers')).body.offers
    const form = await createOrder(sim, { lines: [{ offerId: offers[0].id }, { offerId: offers[1].id }] })
    const added = await addWaybill(form.id, { carrierId: 'OTHER', carrierName: 'Local courier', waybill: 'LC-1', lineItems: [{ id: form.lineItems[0].id }] })
    expect(added.status, added.text).toBe(201)
    expect(added.body).toMatchObject({ carrierId: 'OTHER', carrierName: 'Local courier', lineItems: [{ id: form.lineItems[0].id }] })
    expect((await getForm(sim, form.id)).fulfillment.shipmentSummary.lineItemsSent).toBe('SOME')
  })

  it('refuses an empty or too long waybill and a too long carrierName with 400, and takes a carrier it does not list', async () => {
    const form = await createOrder(sim)
    // Allegro's documents refuse bad waybills, not carriers missing from GET /order/carriers.
    expect((await addWaybill(form.id, { carrierId: 'NOPE', waybill: 'X1' })).status).toBe(201)
    expectErrors(await addWaybill(form.id, { carrierId: 'DHL', waybill: '' }), 400)
    expectErrors(await addWaybill(form.id, { carrierId: 'DHL', waybill: 'x'.repeat(65) }), 400)
    expectErrors(await addWaybill(form.id, { carrierId: 'OTHER', carrierName: 'y'.repeat(31), waybill: 'X1' }), 400)
    expect((await addWaybill(form.id, { carrierId: 'DHL', waybill: 'x'.repeat(64) })).status).toBe(201)
  })

  it('refuses a line item of another order with 422 and an unknown order with 404', async () => {
    const form = await createOrder(sim)
    expectErrors(await addWaybill(form.id, { carrierId: 'DHL', waybill: 'D1', lineItems: [{ id: randomUUID() }] }), 422)
    expectErrors(await addWaybill(randomUUID(), { carrierId: 'DHL', waybill: 'D1' }), 404)
  })

  it('answers 409 when a waybill is used in too many orders', async () => {
    const waybill = `GLS${Date.now()}`
    let refused = null
    for (let i = 0; i < 20 && refused === null; i++) {
      const form = await createOrder(sim)
      const response = await addWaybill(form.id, { carrierId: 'GLS', waybill })
      if (response.status === 409) refused = response
      else expect(response.status, response.text).toBe(201)
    }
    expect(refused, 'a waybill on 20 orders was never refused').not.toBeNull()
    expectErrors(refused!, 409)
  })
})

describe('GET /order/carriers/{carrierId}/tracking', () => {
  it('gives each waybill its carrier’s history; the carrier’s DELIVERED is when it arrived', async () => {
    const form = await createOrder(sim)
    const waybill = `DHL${Date.now()}`
    expect((await addWaybill(form.id, { carrierId: 'DHL', waybill })).status).toBe(201)
    const first = await sim.call('GET', '/order/carriers/DHL/tracking', { query: { waybill: [waybill, 'UNKNOWN1'] } })
    expect(first.status, first.text).toBe(200)
    expect(first.schema).toBe('GET /order/carriers/{carrierId}/tracking 200')
    expect(first.body.carrierId).toBe('DHL')
    expect(first.body.waybills[0]).toMatchObject({ waybill, trackingDetails: { statuses: [{ code: 'PENDING' }] } })
    expect(first.body.waybills[1]).toEqual({ waybill: 'UNKNOWN1' })
    for (const code of ['IN_TRANSIT', 'DELIVERED']) {
      expect((await sim.control('POST', '/_sim/tracking', { carrierId: 'DHL', waybill, code })).status).toBe(200)
    }
    const later = await sim.call('GET', '/order/carriers/DHL/tracking', { query: { waybill } })
    const statuses = later.body.waybills[0].trackingDetails.statuses
    expect(statuses.map((s: { code: string }) => s.code)).toEqual(['PENDING', 'IN_TRANSIT', 'DELIVERED'])
    expect(statuses[2].occurredAt).toMatch(ISO_TIME)
  })

  it('answers an unknown carrier’s waybills without tracking (Allegro’s documents refuse none), and refuses no waybill or more than 20 with 400', async () => {
    const unknown = await sim.call('GET', '/order/carriers/NOPE/tracking', { query: { waybill: 'X' } })
    expect(unknown.status, unknown.text).toBe(200)
    expect(unknown.body).toEqual({ carrierId: 'NOPE', waybills: [{ waybill: 'X' }] })
    expect((await sim.call('GET', '/order/carriers/DHL/tracking')).status).toBe(400)
    const many = Array.from({ length: 21 }, (_, i) => `W${i}`)
    expect((await sim.call('GET', '/order/carriers/DHL/tracking', { query: { waybill: many } })).status).toBe(400)
  })
})
