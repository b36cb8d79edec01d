import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startAllegroSimulator, type RunningAllegro } from '../../support/allegro-simulator.ts'
import { allEvents, createOrder, DAY, expectErrors, ISO_TIME, setFulfillment } from './helpers.ts'

/** Reference §3 "Change feed": ids, exclusive `from`, oldest first, 60-day retention, event-stats, faults. */

let sim: RunningAllegro

beforeEach(async () => {
  sim = await startAllegroSimulator()
})
afterEach(() => sim?.close())

async function latestId(): Promise<string> {
  const stats = await sim.call('GET', '/order/event-stats')
  expect(stats.status).toBe(200)
  return stats.body.latestEvent.id
}

function eventsAfter(from: string, query: Record<string, string | number | string[]> = {}) {
  return sim.call('GET', '/order/events', { query: { from, ...query } })
}

describe('GET /order/events', () => {
  it('lists the seeded history oldest first, with growing numeric ids, each naming its checkout form and revision', async () => {
    const events = await allEvents(sim)
    expect(events.length).toBeGreaterThan(50)
    const ids = events.map((e) => BigInt(e.id))
    for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!).toBe(true)
    for (const event of events) {
      expect(event.id).toMatch(/^\d+$/)
      expect(event.occurredAt).toMatch(ISO_TIME)
      expect(event.order.checkoutForm.id).toBeTypeOf('string')
      expect(event.order.seller.id).toBeTypeOf('string')
    }
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(['BOUGHT', 'FILLED_IN', 'READY_FOR_PROCESSING']))
  })

  it('`from` is exclusive, and limit is 1–1000 (100 by default)', async () => {
    const all = await allEvents(sim)
    const after = await eventsAfter(all[9].id, { limit: 3 })
    expect(after.body.events.map((e: { id: string }) => e.id)).toEqual(all.slice(10, 13).map((e) => e.id))
    expect((await sim.call('GET', '/order/events')).body.events).toHaveLength(Math.min(100, all.length))
    expectErrors(await sim.call('GET', '/order/events', { query: { limit: 1001 } }), 422)
    expectErrors(await sim.call('GET', '/order/events', { query: { limit: 0 } }), 422)
  })

  it('a new order, the seller’s change and the buyer’s cancellation each add an event', async () => {
    const from = await latestId()
    const form = await createOrder(sim)
    expect((await setFulfillment(sim, form.id, 'PROCESSING')).status).toBe(204)
    const other = await createOrder(sim)
    expect((await sim.control('POST', `/_sim/orders/${other.id}/cancel`)).status).toBe(200)
    const events = (await eventsAfter(from)).body.events
    expect(events.map((e: { type: string; order: { checkoutForm: { id: string } } }) => [e.type, e.order.checkoutForm.id])).toEqual([
      ['BOUGHT', form.id],
      ['FILLED_IN', form.id],
      ['READY_FOR_PROCESSING', form.id],
      ['FULFILLMENT_STATUS_CHANGED', form.id],
      ['BOUGHT', other.id],
      ['FILLED_IN', other.id],
      ['READY_FOR_PROCESSING', other.id],
      ['BUYER_CANCELLED', other.id],
    ])
    const typed = await eventsAfter(from, { type: ['BUYER_CANCELLED', 'FULFILLMENT_STATUS_CHANGED'] })
    expect(typed.body.events.map((e: { type: string }) => e.type)).toEqual(['FULFILLMENT_STATUS_CHANGED', 'BUYER_CANCELLED'])
    // A type Allegro's documents do not list is not refused (they say nothing of it): it matches no event.
    const unknownType = await eventsAfter(from, { type: 'PAID' })
    expect(unknownType.status, unknownType.text).toBe(200)
    expect(unknownType.body.events).toEqual([])
  })

  it('keeps events for 60 days only', async () => {
    const form = await createOrder(sim)
    sim.advance(59 * DAY)
    sim.token = sim.sim.issueTokens().access_token
    expect((await allEvents(sim)).some((e) => e.order.checkoutForm.id === form.id)).toBe(true)
    sim.advance(2 * DAY)
    sim.token = sim.sim.issueTokens().access_token
    expect(await allEvents(sim)).toEqual([])
    // Allegro answers null after 60 quiet days (#8496); the OpenAPI document has no null there, so the key is absent.
    const stats = await sim.call('GET', '/order/event-stats')
    expect(stats.status).toBe(200)
    expect(stats.body.latestEvent ?? null).toBeNull()
  })
})

describe('GET /order/event-stats', () => {
  it('names the latest event', async () => {
    const all = await allEvents(sim)
    const stats = (await sim.call('GET', '/order/event-stats')).body
    expect(stats.latestEvent).toEqual({ id: all.at(-1).id, occurredAt: all.at(-1).occurredAt })
  })
})

describe('injected faults (control API)', () => {
  it('duplicates: each new event comes twice under two ids', async () => {
    const from = await latestId()
    expect((await sim.control('PUT', '/_sim/events/faults', { duplicates: true })).body).toMatchObject({ duplicates: true })
    const form = await createOrder(sim)
    const events = (await eventsAfter(from)).body.events
    expect(events.map((e: { type: string }) => e.type)).toEqual(['BOUGHT', 'BOUGHT', 'FILLED_IN', 'FILLED_IN', 'READY_FOR_PROCESSING', 'READY_FOR_PROCESSING'])
    expect(new Set(events.map((e: { id: string }) => e.id)).size).toBe(6)
    expect(events.every((e: { order: { checkoutForm: { id: string } } }) => e.order.checkoutForm.id === form.id)).toBe(true)
  })

  it('disorder: an event comes after its successor, its occurredAt earlier though its id is larger', async () => {
    const from = await latestId()
    await sim.control('PUT', '/_sim/events/faults', { disorder: true })
    const form = await createOrder(sim)
    await sim.control('POST', `/_sim/orders/${form.id}/cancel`)
    await sim.control('PUT', '/_sim/events/faults', { disorder: false })
    const events = (await eventsAfter(from)).body.events as { type: string; occurredAt: string }[]
    expect(events.map((e) => e.type).sort()).toEqual(['BOUGHT', 'BUYER_CANCELLED', 'FILLED_IN', 'READY_FOR_PROCESSING'])
    expect(events.map((e) => e.type)).not.toEqual(['BOUGHT', 'FILLED_IN', 'READY_FOR_PROCESSING', 'BUYER_CANCELLED'])
    const times = events.map((e) => Date.parse(e.occurredAt))
    expect(times.some((t, i) => i > 0 && t < times[i - 1]!)).toBe(true)
  })

  it('drop: the next events never appear, yet the order changed', async () => {
    const form = await createOrder(sim)
    const from = await latestId()
    await sim.control('PUT', '/_sim/events/faults', { drop: 1 })
    expect((await setFulfillment(sim, form.id, 'PROCESSING')).status).toBe(204)
    expect((await eventsAfter(from)).body.events).toEqual([])
    expect((await sim.call('GET', `/order/checkout-forms/${form.id}`)).body.fulfillment.status).toBe('PROCESSING')
  })

  it('replay: a copy of an old event comes again under a new id (a second READY_FOR_PROCESSING)', async () => {
    const form = await createOrder(sim)
    const ready = (await allEvents(sim)).find((e) => e.type === 'READY_FOR_PROCESSING' && e.order.checkoutForm.id === form.id)
    const from = await latestId()
    const replayed = await sim.control('POST', '/_sim/events/replay', { ids: [ready.id] })
    expect(replayed.status).toBe(200)
    const events = (await eventsAfter(from)).body.events
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({ type: 'READY_FOR_PROCESSING', occurredAt: ready.occurredAt, order: ready.order })
    expect(events[0].id).not.toBe(ready.id)
  })
})
