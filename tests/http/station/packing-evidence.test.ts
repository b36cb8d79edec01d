import { describe, expect } from 'vitest'
import { eventually } from '../../support/station.ts'
import { onDevice } from './fixtures.ts'
import { appliedPuts, changeStatus, newOrder, stationOrder } from './helpers.ts'

const it = onDevice('pack-01')

describe('packing evidence', () => {
  const scans = [
    { sku: 'A-1', units: 1, code: '8590000700090', at: '2026-11-22T10:00:00.000Z', source: 'wedge' as const },
    { sku: 'B-2', units: 2, code: null, at: '2026-11-22T10:00:05.000Z', source: 'manual' as const, reason: 'label torn' },
  ]

  it('is kept in the audit log with the change, and never sent to the marketplace', async ({ running, token }) => {
    const order = await newOrder(running, token)
    const result = await changeStatus(running, token, order.id, { status: 'shipping', confirmed: true, packing: { scans } })
    expect(result.status).toBe(200)
    await eventually(async () => (await appliedPuts(running, order.id)).length === 1)
    expect((await appliedPuts(running, order.id))[0]?.body).toEqual({ status: 'shipping', confirmed: true })
    const { history } = await stationOrder(running, token, order.id)
    const change = (history as { action: string }[]).find((entry) => entry.action === 'status')
    expect(change).toMatchObject({ user: 'picker', device_id: 'pack-01', details: { packing: { scans } } })
  })

  it('is kept even when the order was already in shipping, with nothing to send', async ({ running, token }) => {
    const order = await newOrder(running, token)
    expect((await changeStatus(running, token, order.id, { status: 'shipping', confirmed: true })).status).toBe(200)
    const result = await changeStatus(running, token, order.id, { status: 'shipping', confirmed: true, packing: { scans } })
    expect(result.status).toBe(200)
    const { history } = await stationOrder(running, token, order.id)
    expect((history as { action: string }[]).filter((entry) => entry.action === 'packing')).toHaveLength(1)
    await eventually(async () => (await appliedPuts(running, order.id)).length === 1)
  })

  it('keeps a team lead’s reason for packing without scans in the order’s history', async ({ running, token }) => {
    const lead = await running.signIn('lead', '2222', 'desk-01')
    const order = await newOrder(running, token)
    const packing = { scans: [], unscanned_reason: 'Scanner broken, checked by eye' }
    const result = await changeStatus(running, lead, order.id, { status: 'shipping', confirmed: true, packing })
    expect(result.status).toBe(200)
    const { history } = await stationOrder(running, lead, order.id)
    const change = (history as { action: string }[]).find((entry) => entry.action === 'status')
    expect(change).toMatchObject({ user: 'lead', device_id: 'desk-01', details: { to: 'shipping', packing } })
    await eventually(async () => (await appliedPuts(running, order.id)).length === 1)
    expect((await appliedPuts(running, order.id))[0]?.body).toEqual({ status: 'shipping', confirmed: true })
  })

  it('refuses packing without scans from a picker, and from anyone without a reason', async ({ running, token }) => {
    const lead = await running.signIn('lead', '2222', 'desk-01')
    const order = await newOrder(running, token)
    const byPicker = await changeStatus(running, token, order.id, { status: 'shipping', confirmed: true, packing: { scans: [], unscanned_reason: 'in a hurry' } })
    expect(byPicker.status).toBe(403)
    expect(byPicker.body.code).toBe('LEAD_ONLY')
    for (const packing of [{ scans: [] }, { scans: [], unscanned_reason: '   ' }]) {
      const result = await changeStatus(running, lead, order.id, { status: 'shipping', confirmed: true, packing })
      expect(result.status).toBe(422)
    }
    expect((await stationOrder(running, lead, order.id)).order.status).toBe('open')
  })

  it('refuses evidence that is not evidence', async ({ running, token }) => {
    const order = await newOrder(running, token)
    const result = await changeStatus(running, token, order.id, { status: 'shipping', confirmed: true, packing: { scans: [{ sku: 'A', units: 0 }] } })
    expect(result.status).toBe(422)
  })
})
