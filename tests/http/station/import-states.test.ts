import { describe, expect } from 'vitest'
import { eventually, type ApiResult, type RunningStation } from '../../support/station.ts'
import { test } from './fixtures.ts'
import { appliedPuts, expectProblem, health, marketplaceOrder, newOrders, putsOf, simLog } from './helpers.ts'

/**
 * The import of states, as a lead's desk or a script (`curl -F file=@states.csv`) sends it: a dry
 * run says per row what would happen and sends nothing; applying sends each row to the marketplace
 * once, and the same file again sends nothing new.
 */

async function upload(running: RunningStation, token: string, path: string, content: string | Uint8Array, fileName = 'states.csv'): Promise<ApiResult> {
  const form = new FormData()
  form.append('file', new Blob([content]), fileName)
  const response = await fetch(running.origin + path, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form })
  const text = await response.text()
  let body: unknown = null
  try {
    body = JSON.parse(text)
  } catch {
    body = null
  }
  return { status: response.status, headers: response.headers, body, text }
}

/** Waits until the station's outbox to the marketplace is empty. */
async function outboxDrained(running: RunningStation) {
  await eventually(async () => (await health(running)).outbox.waiting === 0, 15_000)
}

/** The outcome of each row of a report, by row number. */
function outcomes(report: { rows: { row: number; outcome: string }[] }) {
  return Object.fromEntries(report.rows.map((row) => [row.row, row.outcome]))
}

describe('import of states', () => {
  test('a dry run reports each row and sends nothing; applying sends each row once; the same file again sends nothing', async ({ running, token, lead }) => {
    const [toShip, toCancel, staysOpen] = await newOrders(running, token, 3)
    const file = [
      'order_id; status; delivered_at; tracking_number; tracking_url; first_delivery_attempt',
      `${toShip?.id}; vyřízená; ; DPD777CZ; https://tracking.example.com/DPD777CZ`,
      `${toCancel?.id}; canceled`,
      `${staysOpen?.id}; nevyřízená`,
      `${staysOpen?.id}; delivered; 2026-11-20`,
      '999999999; shipped; ; X1; https://tracking.example.com/X1',
      `${toShip?.id}; částečně vyřízená`,
    ].join('\n')
    const writesBefore = (await simLog(running)).length

    const dry = await upload(running, lead, '/api/imports/dry-run', file)
    expect(dry.status, dry.text.slice(0, 300)).toBe(200)
    expect(dry.body).toMatchObject({ dry_run: true, format: 'csv', encoding: 'utf-8' })
    expect(outcomes(dry.body)).toEqual({ 1: 'will_change', 2: 'will_change', 3: 'already_so', 4: 'refused', 5: 'unknown_order', 6: 'unreadable' })
    // A refusal carries the rule's own sentence (core/status.ts).
    expect(dry.body.rows[3]).toMatchObject({ code: 'TRANSITION_NOT_ALLOWED', detail: 'An order that is open cannot be moved to delivered: from open it can only go to shipping, shipped or cancelled.' })
    expect(dry.body.rows[5].detail).toMatch(/has no MALL status/)
    expect(dry.body.counts).toMatchObject({ will_change: 2, already_so: 1, refused: 1, unknown_order: 1, unreadable: 1 })
    expect((await simLog(running)).length, 'a dry run sends nothing to the marketplace').toBe(writesBefore)
    expect((await marketplaceOrder(running, toShip?.id)).status).toBe('open')

    const applied = await upload(running, lead, '/api/imports', file)
    expect(applied.status, applied.text.slice(0, 300)).toBe(200)
    expect(outcomes(applied.body)).toEqual({ 1: 'sent', 2: 'sent', 3: 'already_so', 4: 'refused', 5: 'unknown_order', 6: 'unreadable' })
    await outboxDrained(running)
    expect(await marketplaceOrder(running, toShip?.id)).toMatchObject({ status: 'shipped', tracking_number: 'DPD777CZ' })
    expect((await marketplaceOrder(running, toCancel?.id)).status).toBe('cancelled')
    expect(await appliedPuts(running, toShip?.id)).toHaveLength(1)
    expect(await appliedPuts(running, toCancel?.id)).toHaveLength(1)
    expect(await putsOf(running, staysOpen?.id)).toHaveLength(0)

    // The report fills in the marketplace's answers, and downloads as CSV.
    const report = await running.api('GET', `/api/imports/${applied.body.import_id}`, { token: lead })
    expect(report.status).toBe(200)
    expect(report.body.rows.slice(0, 2).map((row: { marketplace: string }) => row.marketplace)).toEqual(['sent', 'sent'])
    const csv = await fetch(`${running.origin}/api/imports/${applied.body.import_id}?format=csv`, { headers: { authorization: `Bearer ${lead}` } })
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/)
    const bytes = new Uint8Array(await csv.arrayBuffer())
    expect([...bytes.slice(0, 3)], 'UTF-8 BOM').toEqual([0xef, 0xbb, 0xbf])
    const lines = new TextDecoder().decode(bytes).trim().split('\r\n')
    expect(lines[0]).toBe('row;order_id;status;outcome;code;detail;marketplace;marketplace_at;marketplace_detail')
    expect(lines[1]).toMatch(new RegExp(`^1;${toShip?.id};shipped;sent;;;sent;`))
    expect(lines).toHaveLength(7)

    // The same file again: nothing new is sent; the dry run already says so.
    const dryAgain = await upload(running, lead, '/api/imports/dry-run', file)
    expect(outcomes(dryAgain.body)).toMatchObject({ 1: 'already_imported', 2: 'already_imported', 3: 'already_imported', 4: 'already_imported' })
    const again = await upload(running, lead, '/api/imports', file, 'states-again.csv')
    expect(again.status).toBe(200)
    expect(again.body.import_id).toBe(applied.body.import_id)
    expect(outcomes(again.body)).toEqual({ 1: 'already_imported', 2: 'already_imported', 3: 'already_imported', 4: 'already_imported', 5: 'unknown_order', 6: 'unreadable' })
    expect(again.body.rows[0].marketplace).toBe('sent')
    await outboxDrained(running)
    expect(await putsOf(running, toShip?.id)).toHaveLength(1)
    expect(await putsOf(running, toCancel?.id)).toHaveLength(1)
  })

  test('an XML file in Windows-1250 imports the same way', async ({ running, token, lead }) => {
    const [order] = await newOrders(running, token, 1)
    // “vyřizuje se” in Windows-1250: ř is 0xF8.
    const head = new TextEncoder().encode(`<?xml version="1.0" encoding="windows-1250"?><orders><order><order_id>${order?.id}</order_id><status>vy`)
    const tail = new TextEncoder().encode('izuje se</status></order></orders>')
    const bytes = new Uint8Array([...head, 0xf8, ...tail])
    const applied = await upload(running, lead, '/api/imports', bytes, 'states.xml')
    expect(applied.status, applied.text.slice(0, 300)).toBe(200)
    expect(applied.body).toMatchObject({ format: 'xml', encoding: 'windows-1250', counts: { sent: 1 } })
    await outboxDrained(running)
    expect((await marketplaceOrder(running, order?.id)).status).toBe('shipping')
  })

  test('a picker is refused, and nothing is sent', async ({ running, token }) => {
    const [order] = await newOrders(running, token, 1)
    const refused = await upload(running, token, '/api/imports', `${order?.id};cancelled\n`)
    expectProblem(refused, 403, 'FORBIDDEN')
    expect(refused.body.detail).toBe('Only a team lead can import order states.')
    expect(await putsOf(running, order?.id)).toHaveLength(0)
  })

  test('a file too large, too long or not sent as a file gets a sentence saying what to do', async ({ running, lead }) => {
    const large = await upload(running, lead, '/api/imports/dry-run', new Uint8Array(5 * 1024 * 1024 + 10).fill(0x20))
    expect(expectProblem(large, 413, 'FILE_TOO_LARGE').detail).toMatch(/5 MB/)
    const rows = Array.from({ length: 10_001 }, (_, i) => `${i + 1};shipped`).join('\n')
    const long = await upload(running, lead, '/api/imports/dry-run', rows)
    expect(expectProblem(long, 422, 'TOO_MANY_ROWS').detail).toMatch(/at most 10,000/)
    const json = await running.api('POST', '/api/imports', { token: lead, body: { rows: [] } })
    expect(expectProblem(json, 415).detail).toContain('curl -F file=@states.csv')
  })
})
