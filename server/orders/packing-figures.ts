import type { StationDatabase } from '../store/database.ts'

/**
 * "Today at a glance" per packer, from the packing evidence in the audit log: orders packed,
 * items scanned (units verified by a scan, not lines confirmed by hand) and the median time from
 * an order's first scan to its packing, and the wrong scans the pack screen answered while packing
 * (`packing.wrong_scans`; tablets older than that field send none, counted as 0).
 */

export interface PackerFigures {
  user: string
  orders_packed: number
  items_scanned: number
  /** Scans the pack screen answered as wrong (not on the order, unknown, one too many) while packing. */
  wrong_scans: number
  /** Median seconds from the first scan to the packing, over the orders with scans; null without. */
  median_seconds_per_order: number | null
}

interface PackingRow {
  user_name: string | null
  at: string
  details: string
}

interface Scan {
  units?: number
  at?: string
  source?: string
}

function median(values: number[]): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2
}

/** Each packer's figures for the packings recorded at or after `since` (an ISO instant), busiest first. */
export function packingFigures(db: StationDatabase, since: string): PackerFigures[] {
  const rows = db
    .prepare(
      `SELECT user_name, at, details FROM audit
       WHERE at >= ? AND actor = 'user' AND action IN ('status', 'packing') AND json_extract(details, '$.packing') IS NOT NULL`,
    )
    .all(since) as PackingRow[]
  const byUser = new Map<string, { orders: number; items: number; wrong: number; seconds: number[] }>()
  for (const row of rows) {
    const user = row.user_name ?? 'unknown'
    const figures = byUser.get(user) ?? { orders: 0, items: 0, wrong: 0, seconds: [] }
    const packing = (JSON.parse(row.details) as { packing?: { scans?: Scan[]; wrong_scans?: number } }).packing
    const scans = packing?.scans ?? []
    figures.orders++
    figures.wrong += packing?.wrong_scans ?? 0
    figures.items += scans.filter((scan) => scan.source !== 'manual').reduce((sum, scan) => sum + (scan.units ?? 0), 0)
    const first = Math.min(...scans.map((scan) => Date.parse(scan.at ?? '')).filter(Number.isFinite))
    if (Number.isFinite(first)) figures.seconds.push(Math.max(0, (Date.parse(row.at) - first) / 1000))
    byUser.set(user, figures)
  }
  return [...byUser.entries()]
    .map(([user, f]) => ({ user, orders_packed: f.orders, items_scanned: f.items, wrong_scans: f.wrong, median_seconds_per_order: median(f.seconds) }))
    .sort((a, b) => b.orders_packed - a.orders_packed || a.user.localeCompare(b.user))
}
