import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BasicOrder } from '#core/order.ts'
import { startSimulator, type RunningSimulator } from '../../support/simulator.ts'
import { eventually, expectOk, listEverything, sleep } from './helpers.ts'

interface Delivery {
  at: number
  method: string
  contentType: string | undefined
  body: unknown
}

/** A tiny webhook receiver on a loopback port: it records every call and answers 200. */
async function startReceiver(): Promise<{ url: string; calls: Delivery[]; close: () => Promise<void> }> {
  const calls: Delivery[] = []
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      let body: unknown = null
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'))
      } catch {
        body = Buffer.concat(chunks).toString('utf8')
      }
      calls.push({ at: Date.now(), method: request.method ?? '', contentType: request.headers['content-type'], body })
      response.writeHead(200).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/hooks/mall`,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

async function openIds(sim: RunningSimulator, count: number): Promise<number[]> {
  const orders = expectOk(await sim.call('GET', '/v1/orders', { query: { status: 'open', page_size: count } })) as BasicOrder[]
  expect(orders).toHaveLength(count)
  return orders.map((o) => o.id)
}

/** What a client can see of the whole shop: each order's status and confirmation. */
async function snapshot(sim: RunningSimulator): Promise<Map<number, BasicOrder>> {
  return new Map((await listEverything(sim)).map((o) => [o.id, o]))
}

function changed(before: Map<number, BasicOrder>, after: Map<number, BasicOrder>): BasicOrder[] {
  return [...after.values()].filter((order) => {
    const old = before.get(order.id)
    return old === undefined || JSON.stringify(old) !== JSON.stringify(order)
  })
}

describe('the webhook', () => {
  const INTERVAL = 300
  let receiver: Awaited<ReturnType<typeof startReceiver>>
  let sim: RunningSimulator

  beforeAll(async () => {
    receiver = await startReceiver()
    sim = await startSimulator({ webhookUrl: receiver.url, webhookIntervalMs: INTERVAL })
  })
  afterAll(async () => {
    await sim?.close()
    await receiver?.close()
  })

  it('batches quick changes into one POST of a JSON array of ids, at most one call per interval', async () => {
    const [a, b, c] = await openIds(sim, 3)
    expect((await sim.call('POST', `/_sim/orders/${a}/cancel`)).status).toBe(200)
    // Well within the interval: the two changes belong in one call. (A fixed gap rather than
    // none, so the outcome does not hang on sub-millisecond timing.)
    await sleep(20)
    expect((await sim.call('POST', `/_sim/orders/${b}/cancel`)).status).toBe(200)
    const first = await eventually(async () => receiver.calls[0], 'the first webhook call', 2000)
    expect(first.method).toBe('POST')
    expect(first.contentType).toMatch(/^application\/json/)
    expect(Array.isArray(first.body)).toBe(true)
    expect([...(first.body as number[])].sort()).toEqual([a, b].sort())
    // Nothing more within the interval: both ids came in the one call.
    await sleep(Math.max(0, first.at + INTERVAL - 50 - Date.now()))
    expect(receiver.calls).toHaveLength(1)

    // A change right after waits for the interval to pass.
    expect((await sim.call('POST', `/_sim/orders/${c}/cancel`)).status).toBe(200)
    const second = await eventually(async () => receiver.calls[1], 'the second webhook call', 2000)
    expect(second.body).toEqual([c])
    expect(second.at - first.at).toBeGreaterThanOrEqual(INTERVAL - 20)
  })

  it('sends ids only, as numbers', async () => {
    for (const call of receiver.calls) {
      expect(Array.isArray(call.body)).toBe(true)
      for (const id of call.body as unknown[]) expect(Number.isSafeInteger(id)).toBe(true)
    }
  })
})

describe('one step of MALL’s own activity', () => {
  let sim: RunningSimulator

  beforeAll(async () => {
    sim = await startSimulator()
  })
  afterAll(() => sim?.close())

  it('POST /_sim/step changes something, and what the marketplace changed is unconfirmed', async () => {
    let happened = 0
    for (let step = 0; step < 12 && happened < 3; step++) {
      const before = await snapshot(sim)
      const answer = expectOk(await sim.call('POST', '/_sim/step'))
      const after = await snapshot(sim)
      const diff = changed(before, after)
      if (answer.happened === null) {
        expect(diff, 'a step that says nothing happened changes nothing').toEqual([])
        continue
      }
      happened++
      expect(answer.happened).toBeTypeOf('string')
      expect(diff.length, answer.happened).toBeGreaterThan(0)
      for (const order of diff) expect(order.confirmed, `${answer.happened}: order ${order.id}`).toBe(false)
      // The step tells which order it touched.
      expect(diff.some((order) => answer.happened.includes(String(order.id))), answer.happened).toBe(true)
    }
    expect(happened).toBeGreaterThan(0)
  })

  it('steps leave no order unaccounted for: orders only move forward', async () => {
    const before = await snapshot(sim)
    for (let step = 0; step < 10; step++) expectOk(await sim.call('POST', '/_sim/step'))
    const after = await snapshot(sim)
    for (const [id, old] of before) {
      const now = after.get(id)
      expect(now, `order ${id} vanished`).toBeDefined()
      // A status once entered keeps its time.
      for (const status of ['blocked', 'open', 'shipping', 'shipped'] as const) {
        if (old[status] !== null) expect(now![status], `order ${id} ${status}`).toBe(old[status])
      }
    }
  })
})

describe('activity switched on', () => {
  let sim: RunningSimulator

  beforeAll(async () => {
    sim = await startSimulator({ activity: true, activityIntervalMs: 100 })
  })
  afterAll(() => sim?.close())

  it('orders change by themselves within a second or two', async () => {
    const before = await snapshot(sim)
    const diff = await eventually(
      async () => {
        const now = changed(before, await snapshot(sim))
        return now.length > 0 ? now : undefined
      },
      'the marketplace to change an order by itself',
      2500,
      100,
    )
    for (const order of diff) expect(order.confirmed).toBe(false)
  })
})
