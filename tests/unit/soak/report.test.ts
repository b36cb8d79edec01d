import { describe, expect, it } from 'vitest'
import { buildReport, fateOf, formatReport, statusWrites, type MadeChange, type MarketplaceWrite, type SoakCounts } from '../../../bench/soak/report.ts'

/** The soak's arithmetic (`npm run soak`): each change the tablets made against the marketplace's write log. */

const SHIFT: SoakCounts = {
  tablets: 2,
  orders: 3,
  minutes: 1,
  offline_windows: 0,
  marketplace_outages: {},
  station_kills: 0,
  customer_cancellations: 0,
  duplicate_sends: 0,
  conflicts_shown: { changes: 0, orders: 0 },
}
const STATION = { rss_mb: 80, rss_after_start_mb: 70, peak_rss_mb: 90, open_sockets: 12, open_fds: 30 }

let seq = 0
function put(orderId: number, status: string, answered: number | null, seenAt = 10_000, path = `/v1/orders/${orderId}`): MarketplaceWrite {
  return { seq: ++seq, method: 'PUT', path, body: { status }, status: answered, seenAt }
}

function change(orderId: number, status: string, fields: Partial<MadeChange> = {}): MadeChange {
  return { key: `${orderId}-${status}`, tablet: 0, orderId, status, madeAt: 1_000, ackedAt: 2_000, settled: null, ...fields }
}

describe('the soak report', () => {
  it('counts only the status writes the marketplace applied or refused, per order and status', () => {
    const writes = statusWrites([
      put(1, 'shipping', 503),
      put(1, 'shipping', 429),
      put(1, 'shipping', null),
      put(1, 'shipping', 200, 5_000),
      put(1, 'shipped', 400),
      put(2, 'shipping', 200, 7_000),
      put(2, 'shipping', 200, 6_000),
      { seq: ++seq, method: 'GET', path: '/v1/orders/3', body: null, status: 200, seenAt: 1 },
      put(3, 'shipped', 200, 1, '/v1/orders/3/tracking'),
      { seq: ++seq, method: 'PUT', path: '/v1/orders/3', body: { tracking_number: 'X' }, status: 200, seenAt: 1 },
    ])
    expect(writes.get('1:shipping')).toEqual({ applied: 1, refused: 0, firstAppliedAt: 5_000 })
    expect(writes.get('1:shipped')).toEqual({ applied: 0, refused: 1, firstAppliedAt: null })
    expect(writes.get('2:shipping')).toEqual({ applied: 2, refused: 0, firstAppliedAt: 6_000 })
    expect(writes.has('3:shipped')).toBe(false)
    expect(writes.size).toBe(3)
  })

  it('tells each change’s fate', () => {
    const once = { applied: 1, refused: 0, firstAppliedAt: 3_000 }
    expect(fateOf(change(1, 'shipping'), once)).toBe('applied')
    expect(fateOf(change(1, 'shipping'), { ...once, applied: 2 })).toBe('duplicated')
    // Acknowledged, never written: lost, unless the station says the marketplace refused it (or the one before).
    expect(fateOf(change(1, 'shipping'), undefined)).toBe('lost')
    expect(fateOf(change(1, 'shipping'), undefined, 'pending')).toBe('lost')
    expect(fateOf(change(1, 'shipped'), { applied: 0, refused: 1, firstAppliedAt: null }, 'refused')).toBe('refused_by_marketplace')
    expect(fateOf(change(1, 'delivered'), undefined, 'dropped')).toBe('refused_by_marketplace')
    // Never acknowledged: lost while it waits on the tablet; a conflict the packer saw is not.
    expect(fateOf(change(1, 'shipping', { ackedAt: null }), undefined)).toBe('lost')
    expect(fateOf(change(1, 'shipping', { ackedAt: null, settled: 'refused' }), undefined)).toBe('refused_by_station')
    expect(fateOf(change(1, 'shipped', { ackedAt: null, settled: 'discarded' }), undefined)).toBe('discarded')
    expect(fateOf(change(1, 'shipping', { ackedAt: null, settled: 'refused' }), once)).toBe('applied_unacknowledged')
  })

  it('passes a shift where every acknowledged change was written once, and says how long the longest waited', () => {
    const report = buildReport({
      changes: [change(1, 'shipping', { madeAt: 1_000 }), change(1, 'shipped', { madeAt: 2_000 }), change(2, 'shipping', { ackedAt: null, settled: 'refused' })],
      log: [put(1, 'shipping', 503, 1_500), put(1, 'shipping', 200, 4_000), put(1, 'shipped', 200, 12_000)],
      shift: SHIFT,
      station: STATION,
      drainSeconds: 3,
    })
    expect(report).toMatchObject({
      changes_made: 3,
      changes_acknowledged: 2,
      writes_per_change: { '1': 2 },
      applied_once: 2,
      refused_by_station: 1,
      lost: 0,
      duplicated: 0,
      unexplained_writes: 0,
      ok: true,
    })
    expect(report.wait_ms).toEqual({ p50: 3_000, p95: 10_000, max: 10_000 })
    expect(formatReport(report)).toMatch(/^OK: /m)
  })

  it('fails on a lost, a duplicated or an unexplained write, and names them', () => {
    const report = buildReport({
      changes: [change(1, 'shipping'), change(2, 'shipping'), change(3, 'shipping', { ackedAt: null }), change(4, 'shipped'), change(4, 'delivered')],
      log: [put(1, 'shipping', 200), put(1, 'shipping', 200), put(4, 'shipped', 400), put(5, 'shipping', 200)],
      stationStates: new Map([
        ['4:shipped', 'refused'],
        ['4:delivered', 'dropped'],
      ]),
      shift: SHIFT,
      station: STATION,
      drainSeconds: 60,
    })
    expect(report).toMatchObject({
      writes_per_change: { '0': 3, '2': 1 },
      duplicated: 1,
      lost: 2,
      refused_by_marketplace: 2,
      unexplained_writes: 1,
      ok: false,
    })
    expect(report.examples.map((e) => [e.fate, e.order_id])).toEqual([
      ['duplicated', 1],
      ['lost', 2],
      ['lost', 3],
    ])
    expect(formatReport(report)).toMatch(/lost\s+2 {2}<-- must be 0/)
    expect(formatReport(report)).toMatch(/^FAILED/m)
  })
})
