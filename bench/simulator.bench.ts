import { performance } from 'node:perf_hooks'
import { startSimulator } from '../tests/support/simulator.ts'
import type { Figure } from './report.ts'

/** How fast the simulated marketplace answers: it must never be the bottleneck of a station test. */
export async function benchSimulator(): Promise<Figure[]> {
  const simulator = await startSimulator()
  try {
    const lists = 200
    let started = performance.now()
    for (let i = 0; i < lists; i++) {
      const result = await simulator.call('GET', '/v1/orders', { query: { status: 'open', page_size: 100, _sort: 'open:desc' } })
      if (result.status !== 200) throw new Error(`list answered ${result.status}`)
    }
    const listMs = (performance.now() - started) / lists

    const open = await simulator.call('GET', '/v1/orders/open', { query: { page_size: 1000 } })
    const ids = open.body.data as number[]
    started = performance.now()
    await Promise.all(
      ids.map((id) => simulator.call('PUT', `/v1/orders/${id}`, { body: { confirmed: true, status: 'shipping' } })),
    )
    const perSecond = ids.length / ((performance.now() - started) / 1000)
    return [
      { name: 'simulator: GET /v1/orders (100 open, sorted), per call', value: listMs, unit: 'ms' },
      { name: `simulator: PUT status changes (${ids.length} at once)`, value: perSecond, unit: 'changes/s' },
    ]
  } finally {
    await simulator.close()
  }
}
