import { PDFDocument } from 'pdf-lib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, type RunningSimulator } from '../../support/simulator.ts'
import { createOrder, expectError, expectOk, expectPutOk, getOrder, put, toShipping } from './helpers.ts'

let sim: RunningSimulator

beforeAll(async () => {
  sim = await startSimulator()
})
afterAll(() => sim?.close())

interface LabelsData {
  orders: { order_id: number; barcodes: string[] }[]
  labels_raw: string
}

/** A MALL Delivery order to an address (several parcels allowed), in shipping. */
async function mdpInShipping(): Promise<number> {
  const order = await createOrder(sim, { mdp: true, pickup_point: false })
  await toShipping(sim, order.id)
  return order.id
}

function labels(body: Record<string, unknown>) {
  return sim.call('POST', '/v1/orders/labels', { body: { labels_type: 'pdf', first_position: 1, labels_per_page: 4, ...body } })
}

const decode = (raw: string) => Buffer.from(raw, 'base64')

function zplBlocks(raw: string): string[] {
  return decode(raw).toString('utf8').match(/\^XA[\s\S]*?\^XZ/g) ?? []
}

describe('POST /v1/orders/labels', () => {
  it('answers one barcode per parcel and a real PDF', async () => {
    const id = await mdpInShipping()
    const data = expectOk(await labels({ labels: [{ order_id: id, parcel_count: 3 }] })) as LabelsData
    expect(Object.keys(data).sort()).toEqual(['labels_raw', 'orders'])
    expect(data.orders).toHaveLength(1)
    expect(data.orders[0]!.order_id).toBe(id)
    const barcodes = data.orders[0]!.barcodes
    expect(barcodes).toHaveLength(3)
    expect(new Set(barcodes).size).toBe(3)
    for (const barcode of barcodes) expect(barcode).toBeTypeOf('string')
    expect(data.labels_raw).toMatch(/^[A-Za-z0-9+/]+=*$/)
    const pdf = decode(data.labels_raw)
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-')
    const document = await PDFDocument.load(pdf)
    // Three labels, four to a sheet, from the first slot: one sheet.
    expect(document.getPageCount()).toBe(1)
  })

  it('fills sheets from first_position with labels_per_page to a sheet', async () => {
    const a = await mdpInShipping()
    const b = await mdpInShipping()
    const pages = async (body: Record<string, unknown>) =>
      (await PDFDocument.load(decode((expectOk(await labels(body)) as LabelsData).labels_raw))).getPageCount()
    expect(await pages({ labels: [{ order_id: a, parcel_count: 3 }, { order_id: b, parcel_count: 2 }] })).toBe(2)
    expect(await pages({ first_position: 4, labels: [{ order_id: a, parcel_count: 2 }] })).toBe(2)
    expect(await pages({ first_position: 3, labels: [{ order_id: a, parcel_count: 2 }] })).toBe(1)
    expect(await pages({ labels_per_page: 1, labels: [{ order_id: a, parcel_count: 3 }] })).toBe(3)
  })

  it('answers ZPL as one ^XA…^XZ block per parcel, each with its barcode', async () => {
    const a = await mdpInShipping()
    const b = await mdpInShipping()
    const data = expectOk(await labels({ labels_type: 'zpl', labels: [{ order_id: a, parcel_count: 2 }, { order_id: b, parcel_count: 1 }] })) as LabelsData
    expect(data.orders.map((o) => o.order_id)).toEqual([a, b])
    expect(data.orders.map((o) => o.barcodes.length)).toEqual([2, 1])
    const text = decode(data.labels_raw).toString('utf8').trim()
    expect(text.startsWith('^XA')).toBe(true)
    expect(text.endsWith('^XZ')).toBe(true)
    const blocks = zplBlocks(data.labels_raw)
    expect(blocks).toHaveLength(3)
    const all = data.orders.flatMap((o) => o.barcodes)
    expect(new Set(all).size).toBe(3)
    for (const barcode of all) expect(blocks.filter((block) => block.includes(barcode)), barcode).toHaveLength(1)
  })

  it('takes 1 to 100 parcels', async () => {
    const id = await mdpInShipping()
    for (const parcelCount of [0, 101, -1]) {
      expectError(await labels({ labels_type: 'zpl', labels: [{ order_id: id, parcel_count: parcelCount }] }), 400)
    }
    expectError(await sim.call('GET', `/v1/orders/${id}/consignments`), 404)
    const data = expectOk(await labels({ labels_type: 'zpl', labels: [{ order_id: id, parcel_count: 100 }] })) as LabelsData
    expect(data.orders[0]!.barcodes).toHaveLength(100)
    expect(new Set(data.orders[0]!.barcodes).size).toBe(100)
    expect(zplBlocks(data.labels_raw)).toHaveLength(100)
    const one = expectOk(await labels({ labels_type: 'zpl', labels: [{ order_id: id, parcel_count: 1 }] })) as LabelsData
    expect(one.orders[0]!.barcodes).toHaveLength(1)
  })

  it('only for MALL Delivery orders in shipping or shipped', async () => {
    const open = await createOrder(sim, { mdp: true, pickup_point: false })
    expectError(await labels({ labels: [{ order_id: open.id, parcel_count: 1 }] }), 400)
    const ownCarrier = await createOrder(sim, { mdp: false, pickup_point: false })
    await toShipping(sim, ownCarrier.id)
    expectError(await labels({ labels: [{ order_id: ownCarrier.id, parcel_count: 1 }] }), 400)
    const cancelled = await mdpInShipping()
    expectPutOk(await put(sim, cancelled, { status: 'cancelled' }))
    expectError(await labels({ labels: [{ order_id: cancelled, parcel_count: 1 }] }), 400)
    for (const id of [open.id, ownCarrier.id, cancelled]) expectError(await sim.call('GET', `/v1/orders/${id}/consignments`), 404)
  })

  it('refuses a malformed request with 400', async () => {
    const id = await mdpInShipping()
    for (const body of [
      { labels: [] },
      { labels_type: 'png', labels: [{ order_id: id, parcel_count: 1 }] },
      { labels: [{ order_id: id }] },
      { labels: [{ order_id: id, parcel_count: '2' }] },
      { labels: 'all' },
    ]) {
      expectError(await labels(body), 400)
    }
    expectError(await sim.call('POST', '/v1/orders/labels', { body: { labels_type: 'pdf' } }), 400)
    expectError(await labels({ first_position: 0, labels: [{ order_id: id, parcel_count: 1 }] }), 400)
    expectError(await labels({ labels_per_page: 3, labels: [{ order_id: id, parcel_count: 1 }] }), 400)
  })

  it('refuses a first_position beyond the sheet with a clean 400, not a failure', async () => {
    const id = await mdpInShipping()
    for (const [firstPosition, perPage] of [[5, 4], [3, 2], [2, 1], [100, 4]] as const) {
      const response = await labels({ first_position: firstPosition, labels_per_page: perPage, labels: [{ order_id: id, parcel_count: 1 }] })
      expectError(response, 400)
    }
    expectError(await sim.call('GET', `/v1/orders/${id}/consignments`), 404)
  })

  it('an unknown order is 404', async () => {
    expectError(await labels({ labels: [{ order_id: 99_999_999_999, parcel_count: 1 }] }), 404, 'RESOURCE_NOT_FOUND')
  })
})

describe('GET /v1/orders/{id}/consignments', () => {
  it('is 404 before any labels, then the last labels of the order', async () => {
    const id = await mdpInShipping()
    expectError(await sim.call('GET', `/v1/orders/${id}/consignments`), 404, 'RESOURCE_NOT_FOUND')
    const data = expectOk(await labels({ labels: [{ order_id: id, parcel_count: 2 }] })) as LabelsData
    const consignment = expectOk(await sim.call('GET', `/v1/orders/${id}/consignments`))
    for (const key of ['id', 'order_id', 'labels_raw', 'labels_type', 'parcel_count', 'type']) expect(consignment).toHaveProperty(key)
    expect(consignment).toMatchObject({ order_id: id, labels_raw: data.labels_raw, labels_type: 'pdf', parcel_count: 2 })
    expect(Number.isInteger(consignment.id)).toBe(true)
    expect(consignment.type).toBeTypeOf('string')
  })

  it('while shipping the parcel count can change: new labels replace the old', async () => {
    const id = await mdpInShipping()
    const first = expectOk(await labels({ labels: [{ order_id: id, parcel_count: 2 }] })) as LabelsData
    const second = expectOk(await labels({ labels_type: 'zpl', labels: [{ order_id: id, parcel_count: 3 }] })) as LabelsData
    expect(second.orders[0]!.barcodes).toHaveLength(3)
    const consignment = expectOk(await sim.call('GET', `/v1/orders/${id}/consignments`))
    expect(consignment).toMatchObject({ parcel_count: 3, labels_type: 'zpl', labels_raw: second.labels_raw })
    // The old labels are void, so their barcodes must not come back.
    for (const barcode of first.orders[0]!.barcodes) expect(second.orders[0]!.barcodes).not.toContain(barcode)
  })

  it('after shipped only the last labels can be printed again', async () => {
    const id = await mdpInShipping()
    const last = expectOk(await labels({ labels_type: 'zpl', labels: [{ order_id: id, parcel_count: 2 }] })) as LabelsData
    expectPutOk(await put(sim, id, { status: 'shipped' }))
    expect((await getOrder(sim, id)).status).toBe('shipped')
    const again = expectOk(await labels({ labels_type: 'zpl', labels: [{ order_id: id, parcel_count: 2 }] })) as LabelsData
    expect(again.orders[0]!.barcodes).toEqual(last.orders[0]!.barcodes)
    expectError(await labels({ labels_type: 'zpl', labels: [{ order_id: id, parcel_count: 3 }] }), 400)
    expect(expectOk(await sim.call('GET', `/v1/orders/${id}/consignments`))).toMatchObject({ parcel_count: 2 })
  })

  it('the old single-order form POST /v1/orders/{id}/labels answers labels too', async () => {
    const id = await mdpInShipping()
    const data = expectOk(await sim.call('POST', `/v1/orders/${id}/labels`, { body: { label_type: 'zpl', parcel_count: 2 } })) as LabelsData
    expect(data.orders).toEqual([{ order_id: id, barcodes: expect.any(Array) }])
    expect(zplBlocks(data.labels_raw)).toHaveLength(2)
    expect(expectOk(await sim.call('GET', `/v1/orders/${id}/consignments`))).toMatchObject({ order_id: id, parcel_count: 2 })
  })
})
