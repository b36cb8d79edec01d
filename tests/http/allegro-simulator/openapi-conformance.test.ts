import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkResponse } from '../../support/allegro-openapi.ts'
import { startAllegroSimulator, type RunningAllegro } from '../../support/allegro-simulator.ts'
import { createOrder, listAll, setFulfillment, shipmentInput } from './helpers.ts'

/**
 * Every JSON answer of the documented endpoints is validated against the official OpenAPI
 * document by the test helper's `call`; these cases make sure each endpoint is met at least once
 * and that a schema was really found for it (an answer the document does not describe would
 * otherwise pass unchecked).
 */

let sim: RunningAllegro

beforeAll(async () => {
  sim = await startAllegroSimulator()
})
afterAll(() => sim?.close())

describe('answers match the OpenAPI document', () => {
  it('the validator refuses an answer the document does not allow', () => {
    expect(checkResponse('GET', '/order/checkout-forms', 200, { checkoutForms: [{ id: 'x' }] }).errors.length).toBeGreaterThan(0)
    expect(checkResponse('GET', '/order/event-stats', 200, { latestEvent: { id: 1 } }).errors.length).toBeGreaterThan(0)
    expect(checkResponse('GET', '/order/checkout-forms/0d7c5a4e-1a1b-4c1c-9c1c-1a1b1c1d1e1f', 200, { id: '0d7c5a4e-1a1b-4c1c-9c1c-1a1b1c1d1e1f' }).schema).toBe('GET /order/checkout-forms/{id} 200')
  })

  it('the order list and every seeded checkout form', async () => {
    const list = await sim.call('GET', '/order/checkout-forms', { query: { limit: 100 } })
    expect(list.schema).toBe('GET /order/checkout-forms 200')
    expect(list.body.checkoutForms.length).toBeGreaterThan(20)
    for (const form of list.body.checkoutForms) {
      const detail = await sim.call('GET', `/order/checkout-forms/${form.id}`)
      expect(detail.schema).toBe('GET /order/checkout-forms/{id} 200')
    }
  })

  it('the events feed and its statistics', async () => {
    const events = await sim.call('GET', '/order/events', { query: { limit: 1000 } })
    expect(events.schema).toBe('GET /order/events 200')
    expect(events.body.events.length).toBeGreaterThan(50)
    expect((await sim.call('GET', '/order/event-stats')).schema).toBe('GET /order/event-stats 200')
  })

  it('carriers, waybills and their refusals', async () => {
    expect((await sim.call('GET', '/order/carriers')).schema).toBe('GET /order/carriers 200')
    const form = await createOrder(sim, { marketplace: 'allegro-cz', cod: true })
    const added = await sim.call('POST', `/order/checkout-forms/${form.id}/shipments`, { body: { carrierId: 'PPL', waybill: 'PPL0001' } })
    expect(added.status, added.text).toBe(201)
    expect(added.schema).toBe('POST /order/checkout-forms/{id}/shipments 201')
    expect((await sim.call('GET', `/order/checkout-forms/${form.id}/shipments`)).schema).toBe('GET /order/checkout-forms/{id}/shipments 200')
    const foreign = await sim.call('POST', `/order/checkout-forms/${form.id}/shipments`, { body: { carrierId: 'PPL', waybill: 'X', lineItems: [{ id: randomUUID() }] } })
    expect(foreign.schema).toBe('POST /order/checkout-forms/{id}/shipments 422')
    const unknown = await sim.call('GET', `/order/checkout-forms/${randomUUID()}/shipments`)
    expect(unknown.schema).toBe('GET /order/checkout-forms/{id}/shipments 404')
    const noToken = await sim.call('GET', `/order/checkout-forms/${form.id}/shipments`, { token: null })
    expect(noToken.schema).toBe('GET /order/checkout-forms/{id}/shipments 401')
  })

  it('fulfillment refusals', async () => {
    const form = await createOrder(sim)
    const returned = await setFulfillment(sim, form.id, 'RETURNED')
    expect(returned.schema).toBe('PUT /order/checkout-forms/{id}/fulfillment 422')
    const stale = await setFulfillment(sim, form.id, 'PROCESSING', '00000000')
    expect(stale.schema).toBe('PUT /order/checkout-forms/{id}/fulfillment 409')
  })

  it('"Wysyłam z Allegro": the command, its status and the parcel', async () => {
    const [form] = await listAll(sim, { status: 'READY_FOR_PROCESSING', 'fulfillment.provider.id': 'SELLER' })
    const created = await sim.call('POST', '/shipment-management/shipments/create-commands', { body: { commandId: randomUUID(), input: shipmentInput(form) } })
    expect(created.schema).toBe('POST /shipment-management/shipments/create-commands 200')
    const status = await sim.call('GET', `/shipment-management/shipments/create-commands/${created.body.commandId}`)
    expect(status.schema).toBe('GET /shipment-management/shipments/create-commands/{commandId} 200')
    const parcel = await sim.call('GET', `/shipment-management/shipments/${status.body.shipmentId}`)
    expect(parcel.schema).toBe('GET /shipment-management/shipments/{shipmentId} 200')
    const again = await sim.call('POST', '/shipment-management/shipments/create-commands', { body: { commandId: created.body.commandId, input: shipmentInput(form) } })
    expect(again.schema).toBe('POST /shipment-management/shipments/create-commands 400')
  })

  it('every product offer', async () => {
    const offers = (await sim.control('GET', '/_sim/offers')).body.offers as { id: string }[]
    expect(offers.length).toBeGreaterThan(0)
    for (const offer of offers) {
      const answer = await sim.call('GET', `/sale/product-offers/${offer.id}`)
      expect(answer.schema).toBe('GET /sale/product-offers/{offerId} 200')
    }
    expect((await sim.call('GET', '/sale/product-offers/1')).schema).toBe('GET /sale/product-offers/{offerId} 404')
  })
})
