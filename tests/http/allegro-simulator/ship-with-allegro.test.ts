import { randomUUID } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startAllegroSimulator, type RunningAllegro } from '../../support/allegro-simulator.ts'
import { createOrder, expectErrors, getForm, shipmentInput } from './helpers.ts'

/**
 * Reference §5 "Wysyłam z Allegro": the asynchronous create command (Retry-After, COMMAND_EXISTS
 * on a reused commandId), its status, the parcel, the label as PDF or ZPL, and the waybill Allegro
 * adds to the order by itself.
 */

let sim: RunningAllegro

beforeEach(async () => {
  sim = await startAllegroSimulator({ commandDelayMs: 60_000 })
})
afterEach(() => sim?.close())

function createCommand(body: unknown) {
  return sim.call('POST', '/shipment-management/shipments/create-commands', { body })
}

function commandStatus(commandId: string) {
  return sim.call('GET', `/shipment-management/shipments/create-commands/${commandId}`)
}

async function parcelFor(form: Parameters<typeof shipmentInput>[0], labelFormat: 'PDF' | 'ZPL' = 'PDF') {
  const created = await createCommand({ commandId: randomUUID(), input: shipmentInput(form, labelFormat) })
  expect(created.status, created.text).toBe(200)
  sim.advance(60_000)
  const status = await commandStatus(created.body.commandId)
  expect(status.body.status).toBe('SUCCESS')
  return status.body.shipmentId as string
}

function label(shipmentIds: string[], accept = 'application/octet-stream') {
  return sim.call('POST', '/shipment-management/label', { body: { shipmentIds, pageSize: 'A6' }, accept })
}

describe('create commands', () => {
  it('are accepted at once with Retry-After, IN_PROGRESS, then SUCCESS with a shipmentId', async () => {
    const form = await createOrder(sim, { marketplace: 'allegro-pl' })
    const commandId = randomUUID()
    const created = await createCommand({ commandId, input: shipmentInput(form) })
    expect(created.status, created.text).toBe(200)
    expect(Number(created.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    expect(created.body.commandId).toBe(commandId)
    expect(created.body.input.receiver.email).toBe(form.buyer.email)
    expect((await commandStatus(commandId)).body).toMatchObject({ commandId, status: 'IN_PROGRESS' })
    expect((await sim.call('GET', `/order/checkout-forms/${form.id}/shipments`)).body.shipments).toEqual([])
    sim.advance(60_000)
    const done = (await commandStatus(commandId)).body
    expect(done).toMatchObject({ commandId, status: 'SUCCESS', shipmentId: expect.any(String) })
  })

  it('refuse a reused commandId with 400 COMMAND_EXISTS and make no second parcel', async () => {
    const form = await createOrder(sim)
    const commandId = randomUUID()
    expect((await createCommand({ commandId, input: shipmentInput(form) })).status).toBe(200)
    expectErrors(await createCommand({ commandId, input: shipmentInput(form) }), 400, 'COMMAND_EXISTS')
    sim.advance(60_000)
    expect((await commandStatus(commandId)).body.status).toBe('SUCCESS')
    expect((await sim.call('GET', `/order/checkout-forms/${form.id}/shipments`)).body.shipments).toHaveLength(1)
  })

  it('make up a commandId when none is given', async () => {
    const form = await createOrder(sim)
    const created = await createCommand({ input: shipmentInput(form) })
    expect(created.status).toBe(200)
    expect(created.body.commandId).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('refuse an input without receiver or packages with 400', async () => {
    const form = await createOrder(sim)
    const { receiver: _receiver, ...noReceiver } = shipmentInput(form)
    expectErrors(await createCommand({ input: noReceiver }), 400)
    expectErrors(await createCommand({ input: { ...shipmentInput(form), packages: [] } }), 400)
  })

  it('answer an unknown command with 404', async () => {
    expect((await commandStatus(randomUUID())).status).toBe(404)
  })
})

describe('the parcel, its waybill on the order, and its label', () => {
  it('the waybill appears on the order by itself, matched by the buyer’s masked e-mail', async () => {
    const form = await createOrder(sim, { marketplace: 'allegro-cz', cod: true })
    const shipmentId = await parcelFor(form)
    const parcel = await sim.call('GET', `/shipment-management/shipments/${shipmentId}`)
    expect(parcel.status).toBe(200)
    const waybill = parcel.body.packages[0].waybill
    expect(waybill).toMatch(/^A000/)
    expect(parcel.body.cashOnDelivery).toEqual(form.summary.totalToPay)
    const shipments = (await sim.call('GET', `/order/checkout-forms/${form.id}/shipments`)).body.shipments
    expect(shipments).toHaveLength(1)
    expect(shipments[0]).toMatchObject({ waybill, carrierId: 'ALLEGRO' })
    expect((await getForm(sim, form.id)).fulfillment.shipmentSummary.lineItemsSent).toBe('ALL')
  })

  it('the label is a PDF document, or ZPL when the command asked for it', async () => {
    const form = await createOrder(sim)
    const pdf = await label([await parcelFor(form, 'PDF')])
    expect(pdf.status, pdf.text.slice(0, 200)).toBe(200)
    expect(pdf.headers.get('content-type')).toBe('application/octet-stream')
    expect(new TextDecoder().decode(pdf.bytes.slice(0, 5))).toBe('%PDF-')
    const other = await createOrder(sim, { marketplace: 'allegro-hu' })
    const zpl = await label([await parcelFor(other, 'ZPL')], 'application/vnd.allegro.public.v1+json')
    expect(zpl.status).toBe(200)
    expect(zpl.text).toMatch(/^\^XA/)
    expect(zpl.text).toContain('^XZ')
  })

  it('a label of an unknown shipment is 404, and none is asked for with 400', async () => {
    expect((await label([randomUUID()])).status).toBe(404)
    expect((await label([])).status).toBe(400)
  })

  it('a cancelled parcel has no label (204)', async () => {
    const form = await createOrder(sim)
    const shipmentId = await parcelFor(form)
    const cancel = await sim.call('POST', '/shipment-management/shipments/cancel-commands', { body: { commandId: randomUUID(), input: { shipmentId } } })
    expect(cancel.status, cancel.text).toBe(200)
    expect((await sim.call('GET', `/shipment-management/shipments/cancel-commands/${cancel.body.commandId}`)).body.status).toBe('SUCCESS')
    expect((await label([shipmentId])).status).toBe(204)
  })
})
