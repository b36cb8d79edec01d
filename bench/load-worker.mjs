import { parentPort, workerData } from 'node:worker_threads'

/**
 * Sends status changes from its own thread, so the load generator does not share the station's
 * event loop (a second process on loopback, as a tablet fleet would be).
 */
/** @type {{ origin: string, token: string, ids: number[], concurrency: number, keyPrefix: string, batch?: number }} */
const job = workerData
let next = 0
let failures = 0
/** @type {string | null} */
let firstFailure = null
const started = performance.now()
const worker = async () => {
  while (next < job.ids.length) {
    if (job.batch) {
      // `POST /api/changes`: up to `batch` changes in one request, each with its own answer.
      const first = next
      next = Math.min(job.ids.length, next + job.batch)
      const changes = job.ids.slice(first, next).map((id, j) => ({ order_id: id, key: `${job.keyPrefix}-${first + j}`, body: { status: 'shipping', confirmed: true } }))
      const response = await fetch(`${job.origin}/api/changes`, {
        method: 'POST',
        headers: { authorization: `Bearer ${job.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ changes }),
      })
      const text = await response.text()
      const refused = response.status === 200 ? JSON.parse(text).results.filter((/** @type {{ status: number }} */ r) => r.status !== 200).length : changes.length
      if (refused > 0) {
        failures += refused
        firstFailure ??= `${response.status} ${text.slice(0, 200)}`
      }
      continue
    }
    const i = next++
    const response = await fetch(`${job.origin}/api/orders/${job.ids[i]}/status`, {
      method: 'POST',
      headers: { authorization: `Bearer ${job.token}`, 'content-type': 'application/json', 'idempotency-key': `${job.keyPrefix}-${i}` },
      body: JSON.stringify({ status: 'shipping', confirmed: true }),
    })
    const text = await response.text()
    if (response.status !== 200) {
      failures++
      firstFailure ??= `${response.status} ${text.slice(0, 200)}`
    }
  }
}
await Promise.all(Array.from({ length: job.concurrency }, worker))
parentPort?.postMessage({ ms: performance.now() - started, failures, firstFailure })
