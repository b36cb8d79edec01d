import { performance } from 'node:perf_hooks'
import { Worker } from 'node:worker_threads'
import { startStation } from '../tests/support/station.ts'
import { fillMirror } from './fixtures.ts'
import type { Figure } from './report.ts'

const ORDERS = 10_000
const CHANGES = 1_500
const CONCURRENCY = 32
const ROUNDS = 3

/**
 * The station on loopback: how many status changes a second it accepts, and how long a tablet's
 * first pull of 10,000 orders takes. The mirror is filled directly with generated orders.
 */
export async function benchStation(): Promise<Figure[]> {
  const running = await startStation({ env: { POLL_INTERVAL_MS: '3600000' } })
  try {
    const ids = fillMirror(running, ORDERS)
    const now = Date.now()
    // The uplink is down: this measures what tablets wait for, the station's own acceptance.
    await running.mall('POST', '/_sim/outage', { mode: '503' })
    const token = await running.signIn()

    const started = performance.now()
    let cursor: string | null = null
    let pulled = 0
    for (;;) {
      const result = await running.api('GET', `/api/orders?limit=5000${cursor ? `&since=${cursor}` : ''}`, { token })
      pulled += result.body.orders.length
      cursor = result.body.cursor
      if (!result.body.more) break
    }
    const pullMs = performance.now() - started
    if (pulled < ORDERS) throw new Error(`pulled only ${pulled} orders`)

    // A lead's dry run of an import of states with a row for every order (the desk's upload).
    const lead = await running.signIn('lead', '2222', 'bench-lead')
    const states = ['order_id;status;delivered_at;tracking_number;tracking_url', ...ids.slice(0, ORDERS).map((id) => `${id};vyřízená;;DPD${id};https://tracking.example.com/DPD${id}`)].join('\n')
    const form = new FormData()
    form.append('file', new Blob([states]), 'states.csv')
    const dryStarted = performance.now()
    const dry = await fetch(`${running.origin}/api/imports/dry-run`, { method: 'POST', headers: { authorization: `Bearer ${lead}` }, body: form })
    const dryReport = (await dry.json()) as { rows?: unknown[]; counts?: Record<string, number> }
    const dryRunMs = performance.now() - dryStarted
    if (dryReport.rows?.length !== ORDERS) throw new Error(`the dry run answered ${dry.status} with ${dryReport.rows?.length} rows`)
    // Every row weighed against its order: shipped for an own-carrier order, refused for a MALL
    // Delivery one (every third: it must go through shipping and its labels), none unread or unknown.
    const { will_change = 0, refused = 0 } = dryReport.counts ?? {}
    if (will_change + refused !== ORDERS || will_change === 0 || refused === 0) throw new Error(`the dry run weighed ${JSON.stringify(dryReport.counts)}, expected every row to change or be refused`)

    // Rounds on different orders; the median is reported, as a busy machine skews one run. Every
    // commit is synced to disk (synchronous=FULL), so the batch call is what tablets drain with.
    const rate = async (offset: number, options: { concurrency: number; batch?: number }): Promise<number> => {
      const rates: number[] = []
      for (let round = 0; round < ROUNDS; round++) {
        const from = offset + round * CHANGES
        const load = await new Promise<{ ms: number; failures: number; firstFailure: string | null }>((resolve, reject) => {
          const worker = new Worker(new URL('./load-worker.mjs', import.meta.url), {
            workerData: { origin: running.origin, token, ids: ids.slice(from, from + CHANGES), keyPrefix: `bench-${now}-${from}`, ...options },
          })
          worker.once('message', resolve)
          worker.once('error', reject)
        })
        if (load.failures > 0) throw new Error(`${load.failures} changes failed, first: ${load.firstFailure}`)
        rates.push(CHANGES / (load.ms / 1000))
      }
      return [...rates].sort((a, b) => a - b)[Math.floor(ROUNDS / 2)] as number
    }
    const batched = await rate(0, { concurrency: 4, batch: 100 })
    const single = await rate(ROUNDS * CHANGES, { concurrency: CONCURRENCY, batch: 0 })
    return [
      { name: `station: status changes accepted on loopback, batches of 100 (4 at once, median of ${ROUNDS})`, value: batched, unit: 'changes/s', budget: { limit: 1000, kind: 'min' } },
      { name: `station: status changes accepted on loopback, one per request (${CONCURRENCY} at once, median of ${ROUNDS})`, value: single, unit: 'changes/s' },
      { name: `station: pull of ${ORDERS.toLocaleString('en')} orders (first sync)`, value: pullMs, unit: 'ms', budget: { limit: 1000, kind: 'max' } },
      { name: `station: dry run of an import of ${ORDERS.toLocaleString('en')} rows`, value: dryRunMs, unit: 'ms', budget: { limit: 2000, kind: 'max' } },
    ]
  } finally {
    await running.close()
  }
}
