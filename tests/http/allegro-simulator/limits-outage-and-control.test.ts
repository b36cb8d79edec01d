import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startAllegroSimulator, type RunningAllegro } from '../../support/allegro-simulator.ts'
import { createOrder, expectErrors, getForm, listAll, setFulfillment } from './helpers.ts'

/**
 * Reference §1 "Rate limits" (over the limit: 429 and a one-minute block), the outages a station
 * must survive (5xx, hangs), and the control API's log of writes and reset.
 */

let sim: RunningAllegro

afterEach(() => sim?.close())

describe('429 and the one-minute block', () => {
  beforeEach(async () => {
    sim = await startAllegroSimulator({ rateLimitPerMinute: 5 })
  })

  it('past the per-minute limit every request is 429 for a minute, then answered again', async () => {
    for (let i = 0; i < 5; i++) expect((await sim.call('GET', '/order/event-stats')).status).toBe(200)
    expectErrors(await sim.call('GET', '/order/event-stats'), 429)
    sim.advance(30_000)
    expectErrors(await sim.call('GET', '/order/checkout-forms'), 429)
    sim.advance(30_000)
    expect((await sim.call('GET', '/order/event-stats')).status).toBe(200)
  })

  it('the control API blocks for a minute when told, and a blocked write changes nothing', async () => {
    sim.sim.options.rateLimitPerMinute = 9000
    const form = await createOrder(sim)
    const blocked = await sim.control('POST', '/_sim/rate-limit/block', {})
    expect(blocked.status).toBe(200)
    expect(Date.parse(blocked.body.blockedUntil) - Date.now()).toBeGreaterThan(55_000)
    expectErrors(await setFulfillment(sim, form.id, 'PROCESSING'), 429)
    sim.advance(60_000)
    expect((await getForm(sim, form.id)).fulfillment.status).toBe('NEW')
    expect((await setFulfillment(sim, form.id, 'PROCESSING')).status).toBe(204)
  })
})

describe('outages', () => {
  beforeEach(async () => {
    sim = await startAllegroSimulator()
  })

  it('503 and 500 answer every API and OAuth call until switched off', async () => {
    expect((await sim.control('POST', '/_sim/outage', { mode: '503' })).body).toEqual({ mode: '503' })
    expectErrors(await sim.call('GET', '/order/checkout-forms'), 503)
    expect((await sim.oauth('/auth/oauth/token', { grant_type: 'refresh_token', refresh_token: 'x' })).status).toBe(503)
    await sim.control('POST', '/_sim/outage', { mode: '500' })
    expectErrors(await sim.call('GET', '/order/events'), 500)
    await sim.control('POST', '/_sim/outage', { mode: 'off' })
    expect((await sim.call('GET', '/order/events')).status).toBe(200)
    expect((await sim.control('POST', '/_sim/outage', { mode: 'sometimes' })).status).toBe(400)
  })

  it('hang never answers; the connection drops when the outage ends, and the write is logged unanswered', async () => {
    const form = await createOrder(sim)
    await sim.control('POST', '/_sim/outage', { mode: 'hang' })
    const hanging = setFulfillment(sim, form.id, 'PROCESSING').then(
      () => 'answered',
      () => 'dropped',
    )
    const early = await Promise.race([hanging, new Promise((resolve) => setTimeout(() => resolve('waiting'), 300))])
    expect(early).toBe('waiting')
    await sim.control('POST', '/_sim/outage', { mode: 'off' })
    expect(await hanging).toBe('dropped')
    const log = (await sim.control('GET', '/_sim/log')).body.entries
    expect(log.at(-1)).toMatchObject({ method: 'PUT', path: `/order/checkout-forms/${form.id}/fulfillment`, status: null })
    expect((await getForm(sim, form.id)).fulfillment.status).toBe('NEW')
  })
})

describe('the log of writes and reset', () => {
  beforeEach(async () => {
    sim = await startAllegroSimulator()
  })

  it('lists each write the API received, with its answer, after a sequence number', async () => {
    const form = await createOrder(sim)
    const before = (await sim.control('GET', '/_sim/log')).body.entries
    const after = before.length === 0 ? 0 : before.at(-1).seq
    await sim.call('GET', '/order/checkout-forms')
    await setFulfillment(sim, form.id, 'PROCESSING', form.revision)
    await setFulfillment(sim, form.id, 'RETURNED')
    await sim.call('POST', `/order/checkout-forms/${form.id}/shipments`, { body: { carrierId: 'DPD', waybill: 'D-1' } })
    const entries = (await sim.control('GET', '/_sim/log', undefined)).body.entries.filter((e: { seq: number }) => e.seq > after)
    expect(entries.map((e: { method: string; path: string; status: number }) => [e.method, e.path, e.status])).toEqual([
      ['PUT', `/order/checkout-forms/${form.id}/fulfillment`, 204],
      ['PUT', `/order/checkout-forms/${form.id}/fulfillment`, 422],
      ['POST', `/order/checkout-forms/${form.id}/shipments`, 201],
    ])
    expect(entries[0]).toMatchObject({ query: { 'checkoutForm.revision': form.revision }, body: { status: 'PROCESSING' } })
    const later = (await fetch(`${sim.base}/_sim/log?after=${entries[1].seq}`).then((r) => r.json())) as { entries: { seq: number }[] }
    expect(later.entries.map((e: { seq: number }) => e.seq)).toEqual([entries[2].seq])
  })

  it('keeps OAuth calls in the log without their secrets', async () => {
    const pair = sim.sim.issueTokens()
    await sim.oauth('/auth/oauth/token', { grant_type: 'refresh_token', refresh_token: pair.refresh_token })
    const entry = (await sim.control('GET', '/_sim/log')).body.entries.at(-1)
    expect(entry).toMatchObject({ method: 'POST', path: '/auth/oauth/token', body: { grant_type: 'refresh_token' }, status: 200 })
    expect(JSON.stringify(entry)).not.toContain(pair.refresh_token)
  })

  it('a step of buyer activity makes an event: a purchase, a payment or a cancellation', async () => {
    const before = (await sim.call('GET', '/order/event-stats')).body.latestEvent.id
    const step = await sim.control('POST', '/_sim/step')
    expect(step.body.happened).toMatch(/checkout form/)
    const events = (await sim.call('GET', '/order/events', { query: { from: before } })).body.events
    expect(events.length).toBeGreaterThan(0)
  })

  it('reset brings back the seeded shop', async () => {
    const seeded = (await listAll(sim)).map((f) => f.id).sort()
    await createOrder(sim)
    expect((await sim.control('POST', '/_sim/reset')).status).toBe(200)
    sim.token = sim.sim.issueTokens().access_token
    expect((await listAll(sim)).map((f) => f.id).sort()).toEqual(seeded)
    expect((await sim.control('GET', '/_sim/log')).body.entries).toEqual([])
  })
})

describe('persistence', () => {
  it('a simulator with a data folder keeps orders, events and tokens across a restart', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs')
    const { tmpdir } = await import('node:os')
    const { join } = await import('node:path')
    const dataDir = mkdtempSync(join(tmpdir(), 'allegro-sim-'))
    try {
      sim = await startAllegroSimulator({ dataDir })
      const form = await createOrder(sim)
      expect((await setFulfillment(sim, form.id, 'PROCESSING')).status).toBe(204)
      const token = sim.token
      const stats = (await sim.call('GET', '/order/event-stats')).body
      await sim.close()
      sim = await startAllegroSimulator({ dataDir })
      expect((await sim.call('GET', `/order/checkout-forms/${form.id}`, { token })).body.fulfillment.status).toBe('PROCESSING')
      expect((await sim.call('GET', '/order/event-stats')).body).toEqual(stats)
    } finally {
      await sim.close()
      sim = { close: async () => {} } as RunningAllegro
      rmSync(dataDir, { recursive: true, force: true })
    }
  })
})
