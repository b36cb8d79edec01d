import { describe, expect } from 'vitest'
import { eventually } from '../../support/station.ts'
import { allegroLog, deliveryMethod, fulfillmentsOf, newAllegroOrder, test, writesOf } from './allegro-helpers.ts'
import { changeStatus, expectProblem, stationOrder } from './helpers.ts'

const scans = (sku: string, units: number) => ({ scans: [{ sku, units, code: null, at: new Date().toISOString(), source: 'wedge' }] })

describe('Allegro labels and a buyer who cancels', () => {
  test('shipped with Allegro’s labels: the label comes from a create command and the waybill appears on the order', async ({ running, token }) => {
    const { formId, order } = await newAllegroOrder(running, token, { marketplace: 'allegro-cz', deliveryMethodId: await deliveryMethod(running, 'Allegro Zásilkovna - výdejní místo') })
    expect(order.mdp).toBe(true)
    await running.api('POST', `/api/orders/${order.id}/claim`, { token })
    expect((await changeStatus(running, token, order.id, { status: 'shipping', confirmed: true, packing: scans(order.items[0].id, order.items[0].quantity) })).status).toBe(200)
    await eventually(async () => (await fulfillmentsOf(running, formId)).includes('READY_FOR_SHIPMENT'), 10_000)

    const asked = await running.api('POST', `/api/orders/${order.id}/labels`, { token, body: { parcel_count: 1, labels_type: 'pdf' } })
    expect([200, 202]).toContain(asked.status)
    const labels = await eventually(async () => {
      const got = await running.api('GET', `/api/orders/${order.id}/labels`, { token })
      return got.status === 200 && got.body.labels_raw ? got.body : null
    }, 15_000)
    expect(Buffer.from(labels.labels_raw, 'base64').subarray(0, 5).toString()).toBe('%PDF-')
    expect(labels.barcodes.length).toBe(1)
    const commands = (await allegroLog(running)).filter((e) => e.method === 'POST' && e.path === '/shipment-management/shipments/create-commands')
    expect(commands.filter((c) => c.status !== null && c.status < 300)).toHaveLength(1)

    expect((await changeStatus(running, token, order.id, { status: 'shipped' })).status).toBe(200)
    await eventually(async () => (await fulfillmentsOf(running, formId)).includes('SENT'), 10_000)
    // Allegro added the waybill to the order itself; the station shows it.
    const shipped = await eventually(async () => {
      const current = (await stationOrder(running, token, order.id)).order
      return current.status === 'shipped' && current.tracking_number ? current : null
    }, 10_000)
    expect(labels.barcodes).toContain(shipped.tracking_number)
    // The station posted no waybill of its own.
    expect((await writesOf(running, formId)).filter((e) => e.method === 'POST' && e.path.endsWith('/shipments'))).toEqual([])
  })

  test('a buyer cancels while the order is packed (its event lost): the first scan finds it, the packer sees a conflict, no label is ever made', async ({ running, token }) => {
    const { formId, order } = await newAllegroOrder(running, token, { marketplace: 'allegro-cz', deliveryMethodId: await deliveryMethod(running, 'Allegro Zásilkovna - výdejní místo') })
    // Allegro's events have gone missing before (#8623): the station must not rely on them here.
    await running.allegro('PUT', '/_sim/events/faults', { duplicates: false, disorder: false, drop: 1 })
    expect((await running.allegro('POST', `/_sim/orders/${formId}/cancel`, {})).status).toBe(200)

    await running.api('POST', `/api/orders/${order.id}/claim`, { token })
    const packed = await changeStatus(running, token, order.id, { status: 'shipping', confirmed: true, packing: scans(order.items[0].id, order.items[0].quantity) })
    expect([200, 409]).toContain(packed.status)
    const seen = await eventually(async () => {
      const current = (await stationOrder(running, token, order.id)).order
      return current.status === 'cancelled' ? current : null
    }, 10_000)
    expect(seen.conflict).toMatchObject({ code: 'ORDER_CANCELLED' })
    expect(seen.conflict?.message ?? '').toMatch(/refund is done in Allegro/)

    const asked = await running.api('POST', `/api/orders/${order.id}/labels`, { token, body: { parcel_count: 1, labels_type: 'pdf' } })
    expectProblem(asked, 422, 'LABELS_WRONG_STATUS')
    const writes = await writesOf(running, formId)
    expect(writes.filter((e) => e.path.includes('create-commands'))).toEqual([])
    expect(await fulfillmentsOf(running, formId)).toEqual([])
    expect((await allegroLog(running)).filter((e) => e.path.includes('create-commands') && JSON.stringify(e.body).includes(formId))).toEqual([])
  })

  test('duplicated and disordered events change nothing twice', async ({ running, token }) => {
    await running.allegro('PUT', '/_sim/events/faults', { duplicates: true, disorder: true, drop: 0 })
    const { formId, order } = await newAllegroOrder(running, token, { marketplace: 'allegro-sk', deliveryMethodId: await deliveryMethod(running, 'DPD kuriér na dobierku') })
    expect(order).toMatchObject({ currency: 'EUR', status: 'open' })
    expect(order.cod).toBeGreaterThan(0)
    await running.api('POST', `/api/orders/${order.id}/claim`, { token })
    expect((await changeStatus(running, token, order.id, { status: 'shipping', confirmed: true, packing: scans(order.items[0].id, order.items[0].quantity) })).status).toBe(200)
    await eventually(async () => (await fulfillmentsOf(running, formId)).length === 2, 10_000)
    // More events (each written twice, out of order) and polls go by.
    const other = await newAllegroOrder(running, token, { marketplace: 'allegro-hu', deliveryMethodId: await deliveryMethod(running, 'GLS futár utánvéttel') })
    expect(other.order.currency).toBe('HUF')
    await new Promise((resolve) => setTimeout(resolve, 1500))
    expect(await fulfillmentsOf(running, formId)).toEqual(['PROCESSING', 'READY_FOR_SHIPMENT'])
    const pulled = (await running.api('GET', '/api/orders?limit=5000', { token })).body.orders as { external_id: string }[]
    expect(pulled.filter((o) => o.external_id === formId)).toHaveLength(1)
    const current = (await stationOrder(running, token, order.id)).order
    expect(current).toMatchObject({ status: 'shipping', synced: true, conflict: null })
    await running.allegro('PUT', '/_sim/events/faults', { duplicates: false, disorder: false, drop: 0 })
  })
})
