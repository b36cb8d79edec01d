import { describe, expect } from 'vitest'
import { formatMallDateTime } from '#core/datetime.ts'
import { eventually } from '../../support/station.ts'
import { allegroForm, deliveryMethod, fulfillmentsOf, newAllegroOrder, test, writesOf } from './allegro-helpers.ts'
import { changeStatus, newKey, stationOrder } from './helpers.ts'

const scans = (sku: string, units: number) => ({ scans: [{ sku, units, code: '5901234123457', at: new Date().toISOString(), source: 'wedge' }] })

describe('an Allegro order packed and shipped on the station', () => {
  test('the first scan sets PROCESSING, confirming the packing READY_FOR_SHIPMENT, each with the form’s revision', async ({ running, token }) => {
    const { formId, order } = await newAllegroOrder(running, token, { marketplace: 'allegro-cz', deliveryMethodId: await deliveryMethod(running, 'PPL kurýr') })
    expect(order).toMatchObject({ status: 'open', confirmed: false, source: 'allegro-cz', currency: 'CZK' })

    const claim = await running.api('POST', `/api/orders/${order.id}/claim`, { token })
    expect(claim.status).toBe(200)
    await eventually(async () => (await fulfillmentsOf(running, formId)).length === 1, 10_000)
    expect(await fulfillmentsOf(running, formId)).toEqual(['PROCESSING'])

    const packed = await changeStatus(running, token, order.id, { status: 'shipping', confirmed: true, packing: scans(order.items[0].id, order.items[0].quantity) })
    expect(packed.status, packed.text).toBe(200)
    await eventually(async () => (await fulfillmentsOf(running, formId)).length === 2, 10_000)
    expect(await fulfillmentsOf(running, formId)).toEqual(['PROCESSING', 'READY_FOR_SHIPMENT'])
    // Every PUT named the revision the form had when the station read it.
    const puts = (await writesOf(running, formId)).filter((e) => e.method === 'PUT')
    for (const put of puts) expect(put.query['checkoutForm.revision']).toMatch(/^[0-9a-f]{8}$/)
    expect(allegroForm(running, formId).fulfillment.status).toBe('READY_FOR_SHIPMENT')

    // Claiming again (a renewal, or a second tablet's look) sends nothing more.
    await running.api('POST', `/api/orders/${order.id}/claim`, { token })
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(await fulfillmentsOf(running, formId)).toEqual(['PROCESSING', 'READY_FOR_SHIPMENT'])
  })

  test('shipped with the own carrier’s waybill: one shipment with Allegro’s carrier id, then SENT', async ({ running, token }) => {
    const { formId, order } = await newAllegroOrder(running, token, { marketplace: 'allegro-cz', deliveryMethodId: await deliveryMethod(running, 'PPL kurýr') })
    await running.api('POST', `/api/orders/${order.id}/claim`, { token })
    expect((await changeStatus(running, token, order.id, { status: 'shipping', confirmed: true, packing: scans(order.items[0].id, order.items[0].quantity) })).status).toBe(200)
    const shipped = await changeStatus(running, token, order.id, {
      status: 'shipped',
      tracking_number: '40012345678',
      tracking_url: 'https://www.ppl.cz/vyhledat-zasilku?shipmentId=40012345678',
    })
    expect(shipped.status, shipped.text).toBe(200)
    await eventually(async () => (await fulfillmentsOf(running, formId)).includes('SENT'), 10_000)
    const posts = (await writesOf(running, formId)).filter((e) => e.method === 'POST' && e.path.endsWith('/shipments'))
    expect(posts).toHaveLength(1)
    expect(posts[0]?.body).toMatchObject({ carrierId: 'PPL', waybill: '40012345678' })
    expect(await fulfillmentsOf(running, formId)).toEqual(['PROCESSING', 'READY_FOR_SHIPMENT', 'SENT'])
    const station = await eventually(async () => {
      const o = (await stationOrder(running, token, order.id)).order
      return o.status === 'shipped' && o.synced ? o : null
    })
    expect(station.tracking_number).toBe('40012345678')

    // The carrier delivers it: Allegro's tracking says so, and the station closes the order with that time.
    expect((await running.allegro('POST', '/_sim/tracking', { carrierId: 'PPL', waybill: '40012345678', code: 'DELIVERED' })).status).toBeLessThan(300)
    const delivered = await eventually(async () => {
      const o = (await stationOrder(running, token, order.id)).order
      return o.status === 'delivered' ? o : null
    }, 10_000)
    expect(delivered.delivered_at).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/)
    expect(await fulfillmentsOf(running, formId)).toEqual(['PROCESSING', 'READY_FOR_SHIPMENT', 'SENT'])
  })

  test('shipped with a carrier Allegro does not track (OTHER): the seller closes it as delivered, and it leaves the floor', async ({ running, token }) => {
    const { formId, order } = await newAllegroOrder(running, token, { marketplace: 'allegro-cz', deliveryMethodId: await deliveryMethod(running, 'PPL kurýr') })
    await running.api('POST', `/api/orders/${order.id}/claim`, { token })
    expect((await changeStatus(running, token, order.id, { status: 'shipping', confirmed: true, packing: scans(order.items[0].id, order.items[0].quantity) })).status).toBe(200)
    const shipped = await changeStatus(running, token, order.id, { status: 'shipped', tracking_number: 'LOC-778', tracking_url: 'https://track.local-courier.example/LOC-778' })
    expect(shipped.status, shipped.text).toBe(200)
    const sent = await eventually(async () => {
      const o = (await stationOrder(running, token, order.id)).order
      return o.status === 'shipped' && o.synced ? o : null
    }, 10_000)
    const posts = (await writesOf(running, formId)).filter((e) => e.method === 'POST' && e.path.endsWith('/shipments'))
    expect(posts[0]?.body).toMatchObject({ carrierId: 'OTHER', waybill: 'LOC-778' })
    // Nothing will report on this parcel: delivered is the seller's to record, as for a MALL order.
    expect(sent.marketplace_closes).toBe(false)

    const deliveredAt = formatMallDateTime(Date.now() - 60_000)
    const closed = await changeStatus(running, token, order.id, { status: 'delivered', delivered_at: deliveredAt })
    expect(closed.status, closed.text).toBe(200)
    const delivered = await eventually(async () => {
      const o = (await stationOrder(running, token, order.id)).order
      return o.status === 'delivered' && o.synced ? o : null
    }, 10_000)
    expect(delivered.delivered_at).toBe(deliveredAt)
    // Allegro was asked for nothing more: it has no status for it.
    expect(await fulfillmentsOf(running, formId)).toEqual(['PROCESSING', 'READY_FOR_SHIPMENT', 'SENT'])
  })

    test('the order’s products reach the catalogue: the SKU (external.id), the EAN (parameter 225693) and a photo served by the station', async ({ running, token }) => {
    const offers = (await running.allegro('GET', '/_sim/offers')).body.offers as { id: string; sku: string; ean: string }[]
    const offer = offers[offers.length - 1]!
    const { order } = await newAllegroOrder(running, token, { marketplace: 'allegro-hu', lines: [{ offerId: offer.id, quantity: 1 }], deliveryMethodId: await deliveryMethod(running, 'GLS futár utánvéttel') })
    expect(order.items[0].id).toBe(offer.sku)
    const product = await eventually(async () => {
      const page = (await running.api('GET', '/api/products?limit=5000', { token })).body
      return (page.products as { sku: string }[]).find((p) => p.sku === offer.sku)
    }, 10_000)
    expect(product).toMatchObject({ sku: offer.sku, barcodes: [offer.ean], photo_url: `/media/products/${encodeURIComponent(offer.sku)}` })
    const photo = await running.api('GET', `/media/products/${encodeURIComponent(offer.sku)}`)
    expect(photo.status).toBe(200)
    expect(photo.headers.get('content-type')).toMatch(/^image\//)
  })

  test('only paid orders reach the floor: BOUGHT and FILLED_IN wait, Allegro’s own fulfilment never comes', async ({ running, token }) => {
    const bought = await running.allegro('POST', '/_sim/orders', { marketplace: 'allegro-pl', status: 'BOUGHT' })
    const byAllegro = await running.allegro('POST', '/_sim/orders', { marketplace: 'allegro-pl', allegroFulfillment: true })
    const marker = await newAllegroOrder(running, token, { marketplace: 'allegro-pl' })
    const pulled = async () => (await running.api('GET', '/api/orders?limit=5000', { token })).body.orders as { id: number; external_id: string; status: string }[]
    // The marker order came after both: the station has read past them.
    expect((await pulled()).map((o) => o.external_id)).not.toContain(bought.body.id)
    expect((await pulled()).map((o) => o.external_id)).not.toContain(byAllegro.body.id)
    expect(marker.order.status).toBe('open')

    await running.allegro('POST', `/_sim/orders/${bought.body.id}/fill-in`)
    await running.allegro('POST', `/_sim/orders/${bought.body.id}/pay`)
    const paid = await eventually(async () => (await pulled()).find((o) => o.external_id === bought.body.id), 10_000)
    expect(paid.status).toBe('open')
    expect((await pulled()).map((o) => o.external_id)).not.toContain(byAllegro.body.id)
  })

  test('two purchases paid together: one order with both purchases’ lines reaches the floor, the replaced ones never', async ({ running, token }) => {
    const first = (await running.allegro('POST', '/_sim/orders', { marketplace: 'allegro-cz', status: 'BOUGHT', buyerLogin: 'combined_buyer' })).body
    const second = (await running.allegro('POST', '/_sim/orders', { marketplace: 'allegro-cz', status: 'BOUGHT', buyerLogin: 'combined_buyer' })).body
    const combined = await running.allegro('POST', '/_sim/orders/combine', { ids: [first.id, second.id] })
    expect(combined.status).toBe(201)
    const order = await eventually(async () => {
      const orders = (await running.api('GET', '/api/orders?limit=5000', { token })).body.orders as { external_id: string; items: unknown[]; status: string }[]
      return orders.find((o) => o.external_id === combined.body.id)
    }, 10_000)
    expect(order.status).toBe('open')
    expect(order.items).toHaveLength(first.lineItems.length + second.lineItems.length)
    const ids = ((await running.api('GET', '/api/orders?limit=5000', { token })).body.orders as { external_id: string }[]).map((o) => o.external_id)
    expect(ids).not.toContain(first.id)
    expect(ids).not.toContain(second.id)
  })

  test('the packer cancels: Allegro’s fulfillment CANCELLED (the refund is the seller’s to do in Allegro)', async ({ running, token }) => {
    const { formId, order } = await newAllegroOrder(running, token, { marketplace: 'allegro-cz', deliveryMethodId: await deliveryMethod(running, 'PPL kurýr') })
    const cancelled = await changeStatus(running, token, order.id, { status: 'cancelled', confirmed: true })
    expect(cancelled.status, cancelled.text).toBe(200)
    await eventually(async () => (await fulfillmentsOf(running, formId)).length === 1, 10_000)
    expect(await fulfillmentsOf(running, formId)).toEqual(['CANCELLED'])
    expect(allegroForm(running, formId).status).toBe('READY_FOR_PROCESSING')
  })

  test('delivered and returned of a parcel Allegro tracks are Allegro’s to set: the station refuses them to the packer', async ({ running, token }) => {
    const { order } = await newAllegroOrder(running, token, { marketplace: 'allegro-cz', deliveryMethodId: await deliveryMethod(running, 'PPL kurýr') })
    await changeStatus(running, token, order.id, { status: 'shipping', confirmed: true, packing: scans(order.items[0].id, order.items[0].quantity) })
    await changeStatus(running, token, order.id, { status: 'shipped', tracking_number: '40099999999', tracking_url: 'https://www.ppl.cz/x?id=40099999999' })
    // Once the station has Allegro's word that a tracked carrier's waybill is on the order (its
    // events feed), delivered and returned are left to the tracking.
    await eventually(async () => (await stationOrder(running, token, order.id)).order.marketplace_closes === true, 15_000)
    const delivered = await changeStatus(running, token, order.id, { status: 'delivered', delivered_at: '2026-11-20 10:00:00' }, { key: newKey() })
    expect(delivered.status).toBe(422)
    expect(delivered.body.code).toBe('STATUS_SET_BY_MARKETPLACE')
  })
})
