import type { PackingEvidence, PickProgress, PickScan, PickingDatabase } from '@/db/schema'
import type { OrderItem, OrderStatus } from '#core/order.ts'
import { matchScan, type CodeMeaning, type PickLine, type ScanOutcome } from '@/services/scan/matching'

/**
 * Picking progress of one order, kept in the tablet's database so it survives a reload, a dead
 * Wi-Fi or a closed app. Right scans are recorded (they are the packing evidence); of wrong ones
 * only their count, which the packing evidence carries to the desk's "Today at a glance".
 */

export function pickLines(items: readonly Pick<OrderItem, 'id' | 'title' | 'quantity'>[], progress: PickProgress | undefined): PickLine[] {
  const picked = new Map<string, number>()
  for (const scan of progress?.scans ?? []) picked.set(scan.sku, (picked.get(scan.sku) ?? 0) + scan.units)
  return items.map((item) => ({ sku: item.id, title: item.title, quantity: item.quantity, picked: picked.get(item.id) ?? 0 }))
}

export function isComplete(lines: readonly PickLine[]): boolean {
  return lines.length > 0 && lines.every((line) => line.picked >= line.quantity)
}

async function update(
  db: PickingDatabase,
  orderId: number,
  user: string,
  now: string,
  change: (scans: PickScan[]) => PickScan[],
  wrong = 0,
): Promise<void> {
  await db.transaction('rw', db.picks, async () => {
    const current = (await db.picks.get(orderId)) ?? { order_id: orderId, user, started_at: now, scans: [] }
    const wrongScans = (current.wrong_scans ?? 0) + wrong
    await db.picks.put({ ...current, scans: change([...current.scans]), ...(wrongScans > 0 ? { wrong_scans: wrongScans } : {}) })
  })
}

/** The verdicts a packer sees as a wrong scan of this order (an order that cannot be packed is no scan of it). */
const WRONG_SCANS: ReadonlySet<ScanOutcome['kind']> = new Set(['over_quantity', 'not_on_order', 'unknown_code'])

/**
 * Checks a scanned code against the order and records it when it is right. The outcome says what
 * the packer sees; a wrong scan changes no line, and is only counted.
 */
export async function scanIntoOrder(
  db: PickingDatabase,
  order: { id: number; status: OrderStatus; items: readonly Pick<OrderItem, 'id' | 'title' | 'quantity'>[] },
  code: string,
  index: ReadonlyMap<string, CodeMeaning>,
  source: PickScan['source'],
  user: string,
  now: Date,
): Promise<ScanOutcome> {
  // Read, checked and written in one transaction: a second scan that comes before the first is
  // written must see it, or the last unit could be counted twice.
  return db.transaction('rw', db.picks, async () => {
    const progress = await db.picks.get(order.id)
    const outcome = matchScan(code, pickLines(order.items, progress), index, order.status)
    if (outcome.kind === 'match') {
      await update(db, order.id, user, now.toISOString(), (scans) => [
        ...scans,
        { sku: outcome.sku, units: outcome.units, code: code.trim(), at: now.toISOString(), source },
      ])
    } else if (WRONG_SCANS.has(outcome.kind)) {
      await update(db, order.id, user, now.toISOString(), (scans) => scans, 1)
    }
    return outcome
  })
}

/** Takes back the last right scan; returns it, or null when there was none. */
export async function undoLastScan(db: PickingDatabase, orderId: number): Promise<PickScan | null> {
  let undone: PickScan | null = null
  await db.transaction('rw', db.picks, async () => {
    const current = await db.picks.get(orderId)
    if (!current || current.scans.length === 0) return
    undone = current.scans.at(-1) ?? null
    await db.picks.put({ ...current, scans: current.scans.slice(0, -1) })
  })
  return undone
}

/** A line whose label will not scan, confirmed by hand with the reason; recorded as such. */
export async function confirmLineByHand(
  db: PickingDatabase,
  order: { id: number; items: readonly Pick<OrderItem, 'id' | 'title' | 'quantity'>[] },
  sku: string,
  reason: string,
  user: string,
  now: Date,
): Promise<void> {
  const progress = await db.picks.get(order.id)
  const line = pickLines(order.items, progress).find((l) => l.sku === sku)
  if (!line || line.picked >= line.quantity) return
  await update(db, order.id, user, now.toISOString(), (scans) => [
    ...scans,
    { sku, units: line.quantity - line.picked, code: null, at: now.toISOString(), source: 'manual', reason },
  ])
}

/** What the change to `shipping` carries: the right scans, and how many were wrong (0 when none). */
export async function packingEvidence(db: PickingDatabase, orderId: number): Promise<PackingEvidence> {
  const progress = await db.picks.get(orderId)
  return { scans: progress?.scans ?? [], wrong_scans: progress?.wrong_scans ?? 0 }
}

export async function clearProgress(db: PickingDatabase, orderId: number): Promise<void> {
  await db.picks.delete(orderId)
}
