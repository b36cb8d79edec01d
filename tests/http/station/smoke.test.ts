import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventually, startStation, type RunningStation } from '../../support/station.ts'

describe('the demo station', () => {
  let running: RunningStation
  beforeAll(async () => {
    running = await startStation()
  })
  afterAll(async () => {
    await running.close()
  })

  it('mirrors the simulated marketplace and forwards a packer’s change to it once', async () => {
    const token = await running.signIn()
    const pulled = await eventually(async () => {
      const result = await running.api('GET', '/api/orders?limit=5000', { token })
      return result.body.orders.length > 100 ? result.body : null
    })
    const order = pulled.orders.find((o: { status: string; mdp: boolean }) => o.status === 'open' && !o.mdp)
    const changed = await running.api('POST', `/api/orders/${order.id}/status`, {
      token,
      headers: { 'idempotency-key': 'smoke-test-key-1' },
      body: { status: 'shipping', confirmed: true },
    })
    expect(changed.status).toBe(200)
    expect(changed.body.status).toBe('shipping')
    await eventually(async () => (await running.mall('GET', `/v1/orders/${order.id}`)).body.data.status === 'shipping')
    const log = await running.mall('GET', '/_sim/log')
    const puts = log.body.data.filter((entry: { method: string; path: string }) => entry.method === 'PUT' && entry.path === `/v1/orders/${order.id}`)
    expect(puts).toHaveLength(1)
  })
})
