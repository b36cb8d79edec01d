/**
 * The soak's arithmetic (`npm run soak`): every change the tablets made, matched against the
 * writes the marketplace received, gives what was applied once, lost or duplicated. Pure
 * functions, so the counting can be tested on its own (tests/unit/soak).
 */

/** A status change made on a tablet, and what became of it there. */
export interface MadeChange {
  /** The idempotency key the tablet made for it (once, reused on every retry). */
  key: string
  tablet: number
  orderId: number
  /** The status it moves the order to: `shipping`, `shipped`, `delivered`. */
  status: string
  /** When the packer made it (ms since the epoch). */
  madeAt: number
  /** When the station first acknowledged it (answered 2xx), null when it never did. */
  ackedAt: number | null
  /**
   * How the tablet settled it without an acknowledgement: `refused`, the station refused it and
   * the tablet showed the conflict; `discarded`, it built on a refused change and went with it when
   * the packer discarded that. Null while it waits in the outbox.
   */
  settled: 'refused' | 'discarded' | null
}

/** A write request the marketplace received (`GET /mall/_sim/log`), with when the soak first saw it. */
export interface MarketplaceWrite {
  seq: number
  method: string
  /** Path under the marketplace's prefix, e.g. `/v1/orders/123`. */
  path: string
  body: unknown
  /** HTTP status answered; null when it never answered (an outage that hangs). */
  status: number | null
  /** When the soak read it from the log (ms since the epoch): at most one log poll late. */
  seenAt: number
}

/** What the marketplace did with one order's move to one status. */
export interface WritesOfChange {
  /** PUTs answered 2xx: the change applied. */
  applied: number
  /** PUTs answered 4xx: the marketplace refused it (the order was cancelled, say). */
  refused: number
  /** When the soak first saw an applied PUT. */
  firstAppliedAt: number | null
}

export const changeId = (orderId: number, status: string): string => `${orderId}:${status}`

const ORDER_PUT = /^\/v1\/orders\/(\d+)$/

/**
 * The status writes the marketplace received, per order and status (`PUT /v1/orders/{id}` with a
 * `status` in the body). Answers of an outage (5xx, 429, none) are attempts, not writes.
 */
export function statusWrites(log: readonly MarketplaceWrite[]): Map<string, WritesOfChange> {
  const writes = new Map<string, WritesOfChange>()
  for (const entry of log) {
    if (entry.method !== 'PUT') continue
    const match = ORDER_PUT.exec(entry.path)
    const status = (entry.body as { status?: unknown } | null)?.status
    if (!match || typeof status !== 'string' || entry.status === null) continue
    const id = changeId(Number(match[1]), status)
    const tally = writes.get(id) ?? { applied: 0, refused: 0, firstAppliedAt: null }
    if (entry.status >= 200 && entry.status < 300) {
      tally.applied++
      tally.firstAppliedAt = tally.firstAppliedAt === null ? entry.seenAt : Math.min(tally.firstAppliedAt, entry.seenAt)
    } else if (entry.status >= 400 && entry.status < 500 && entry.status !== 429) {
      tally.refused++
    } else {
      continue
    }
    writes.set(id, tally)
  }
  return writes
}

/** What each change came to, in the end. */
export type Fate =
  /** Acknowledged, and applied at the marketplace exactly once. */
  | 'applied'
  /** Acknowledged, and the marketplace refused it (or the change before it): a conflict the tablets see. */
  | 'refused_by_marketplace'
  /** The station refused it (the order was cancelled meanwhile): the tablet showed the conflict. */
  | 'refused_by_station'
  /** Built on a refused change; discarded with it by the packer. */
  | 'discarded'
  /** Acknowledged but never applied, or made and never acknowledged. */
  | 'lost'
  /** Applied at the marketplace more than once. */
  | 'duplicated'
  /** Applied at the marketplace although the station never acknowledged it to the tablet. */
  | 'applied_unacknowledged'

/**
 * The fate of one change. `stationState`: the station's own record of whether the change reached
 * the marketplace (`marketplace_state` in the order's history: `sent`, `refused`, `dropped`,
 * `queued`), asked for only when the log shows no applied write; undefined when not known.
 */
export function fateOf(change: MadeChange, writes: WritesOfChange | undefined, stationState?: string): Fate {
  const applied = writes?.applied ?? 0
  if (applied > 1) return 'duplicated'
  if (change.ackedAt === null) {
    if (applied > 0) return 'applied_unacknowledged'
    if (change.settled === 'refused') return 'refused_by_station'
    if (change.settled === 'discarded') return 'discarded'
    return 'lost'
  }
  if (applied === 1) return 'applied'
  if (stationState === 'refused' || stationState === 'dropped') return 'refused_by_marketplace'
  return 'lost'
}

export interface SoakCounts {
  tablets: number
  orders: number
  minutes: number
  offline_windows: number
  marketplace_outages: Record<string, number>
  station_kills: number
  customer_cancellations: number
  duplicate_sends: number
  /**
   * Refusals the tablets showed their packers: `changes` the station refused (the outbox's
   * conflicts), `orders` carrying a conflict because the marketplace refused a change.
   */
  conflicts_shown: { changes: number; orders: number }
}

export interface StationFigures {
  /** Resident memory at the end (VmRSS of /proc/PID/status). */
  rss_mb: number | null
  /** Resident memory just after its last start (a kill restarts it). */
  rss_after_start_mb: number | null
  /** The most seen while it ran, sampled every 2 s. */
  peak_rss_mb: number | null
  /** Sockets among /proc/PID/fd at the end: listeners, tablets' kept-alive connections, the marketplace's. */
  open_sockets: number | null
  open_fds: number | null
}

export interface SoakReport {
  shift: SoakCounts
  changes_made: number
  changes_acknowledged: number
  /** How many marketplace writes each acknowledged change got: `{"0": n, "1": n, "2": n…}`. */
  writes_per_change: Record<string, number>
  applied_once: number
  refused_by_marketplace: number
  refused_by_station: number
  discarded_with_conflict: number
  lost: number
  duplicated: number
  applied_unacknowledged: number
  /** Status writes applied at the marketplace that no tablet made. */
  unexplained_writes: number
  wait_ms: { p50: number | null; p95: number | null; max: number | null }
  station: StationFigures
  drain_seconds: number
  /** Up to ten lost or duplicated changes, to start looking from. */
  examples: Array<{ fate: Fate; order_id: number; status: string; key: string; tablet: number; writes: number }>
  ok: boolean
}

function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? null
}

/** Everything the report says, from the changes, the marketplace's log and the station's word on the unwritten ones. */
export function buildReport(input: {
  changes: readonly MadeChange[]
  log: readonly MarketplaceWrite[]
  stationStates?: ReadonlyMap<string, string>
  shift: SoakCounts
  station: StationFigures
  drainSeconds: number
}): SoakReport {
  const writes = statusWrites(input.log)
  const made = new Set<string>()
  const fates = new Map<Fate, number>()
  const writesPerChange: Record<string, number> = {}
  const waits: number[] = []
  const examples: SoakReport['examples'] = []
  for (const change of input.changes) {
    const id = changeId(change.orderId, change.status)
    made.add(id)
    const w = writes.get(id)
    const fate = fateOf(change, w, input.stationStates?.get(id))
    fates.set(fate, (fates.get(fate) ?? 0) + 1)
    if (change.ackedAt !== null) {
      const n = String(w?.applied ?? 0)
      writesPerChange[n] = (writesPerChange[n] ?? 0) + 1
    }
    if (w?.firstAppliedAt != null && (fate === 'applied' || fate === 'duplicated')) waits.push(Math.max(0, w.firstAppliedAt - change.madeAt))
    if ((fate === 'lost' || fate === 'duplicated' || fate === 'applied_unacknowledged') && examples.length < 10) {
      examples.push({ fate, order_id: change.orderId, status: change.status, key: change.key, tablet: change.tablet, writes: w?.applied ?? 0 })
    }
  }
  let unexplained = 0
  for (const [id, w] of writes) if (!made.has(id)) unexplained += w.applied
  waits.sort((a, b) => a - b)
  const count = (fate: Fate) => fates.get(fate) ?? 0
  const lost = count('lost')
  const duplicated = count('duplicated')
  return {
    shift: input.shift,
    changes_made: input.changes.length,
    changes_acknowledged: input.changes.filter((c) => c.ackedAt !== null).length,
    writes_per_change: writesPerChange,
    applied_once: count('applied'),
    refused_by_marketplace: count('refused_by_marketplace'),
    refused_by_station: count('refused_by_station'),
    discarded_with_conflict: count('discarded'),
    lost,
    duplicated,
    applied_unacknowledged: count('applied_unacknowledged'),
    unexplained_writes: unexplained,
    wait_ms: { p50: percentile(waits, 50), p95: percentile(waits, 95), max: waits.length ? (waits[waits.length - 1] ?? null) : null },
    station: input.station,
    drain_seconds: input.drainSeconds,
    examples,
    ok: lost === 0 && duplicated === 0 && count('applied_unacknowledged') === 0 && unexplained === 0,
  }
}

function mb(value: number | null): string {
  return value === null ? '–' : `${value.toFixed(1)} MB`
}

function seconds(ms: number | null): string {
  return ms === null ? '–' : `${(ms / 1000).toFixed(1)} s`
}

/** The report as a two-column table, for people. */
export function formatReport(report: SoakReport): string {
  const s = report.shift
  const outages = Object.entries(s.marketplace_outages)
    .map(([mode, n]) => `${n}× ${mode}`)
    .join(', ')
  const perChange = Object.entries(report.writes_per_change)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([n, c]) => `${n} write${n === '1' ? '' : 's'}: ${c}`)
    .join(', ')
  const mark = (n: number) => (n === 0 ? `${n}` : `${n}  <-- must be 0`)
  const rows: Array<[string, string]> = [
    ['shift', `${s.minutes} min, ${s.tablets} tablets, ${s.orders} orders`],
    ['offline windows (tablets)', String(s.offline_windows)],
    ['marketplace outages', outages || 'none'],
    ['station kills and restarts', String(s.station_kills)],
    ['customer cancellations', String(s.customer_cancellations)],
    ['duplicate sends', String(s.duplicate_sends)],
    ['changes made', String(report.changes_made)],
    ['changes acknowledged', String(report.changes_acknowledged)],
    ['marketplace writes per change', perChange || '–'],
    ['applied exactly once', String(report.applied_once)],
    ['conflicts shown', `${s.conflicts_shown.changes + s.conflicts_shown.orders} (${s.conflicts_shown.changes} changes refused by the station, ${s.conflicts_shown.orders} orders refused by the marketplace)`],
    ['  changes refused by the station', String(report.refused_by_station)],
    ['  discarded with them', String(report.discarded_with_conflict)],
    ['  changes refused by the marketplace', `${report.refused_by_marketplace} (with the changes built on them)`],
    ['lost', mark(report.lost)],
    ['duplicated', mark(report.duplicated)],
    ['applied, never acknowledged', mark(report.applied_unacknowledged)],
    ['writes no tablet made', mark(report.unexplained_writes)],
    ['wait, made → marketplace', `p50 ${seconds(report.wait_ms.p50)}, p95 ${seconds(report.wait_ms.p95)}, longest ${seconds(report.wait_ms.max)}`],
    ['drain after the shift', `${report.drain_seconds.toFixed(1)} s`],
    ['station memory (RSS)', report.station.rss_mb === null ? '–' : `${mb(report.station.rss_mb)} at the end (${mb(report.station.rss_after_start_mb)} after its last start, peak seen ${mb(report.station.peak_rss_mb)})`],
    ['station open connections', report.station.open_sockets === null ? '–' : `${report.station.open_sockets} sockets (${report.station.open_fds} file descriptors)`],
  ]
  const width = Math.max(...rows.map(([label]) => label.length))
  const lines = rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`)
  for (const e of report.examples) lines.push(`  ${e.fate}: order ${e.order_id} → ${e.status} (tablet ${e.tablet}, key ${e.key}, ${e.writes} writes)`)
  lines.push('', report.ok ? 'OK: every acknowledged change reached the marketplace exactly once.' : 'FAILED: changes were lost or duplicated.')
  return lines.join('\n')
}
