import Dexie, { type EntityTable } from 'dexie'
import type { StatusChange } from '#core/status.ts'
import type { FlagReason, StationOrder } from '#core/station-api.ts'
import type { Problem } from '#core/problem.ts'
import type { CatalogueProduct } from '#core/product.ts'
import type { EvidenceSource } from '#core/scan-sources.ts'
import { normalizeCode } from '@/services/scan/matching'
import type { MetaKey, MetaValues } from './meta-keys'

/**
 * The tablet's database: the source of truth on the device. Orders and products are what the
 * last pull brought, with this tablet's own changes applied on top; the outbox holds the changes
 * not yet accepted by the station. Records are plain objects (never Vue proxies).
 */

/** An order on the tablet: the station's order plus what this tablet still has to send. */
export interface LocalOrder extends StationOrder {
  /** The queue's sort key: when the order entered its status (ISO 8601). */
  sort_at: string
  /** Changes of this order in the outbox (queued, in flight or refused). */
  local_pending: number
}

/** A product on the tablet, with every code that names it in the form scans are compared in. */
export interface LocalProduct extends CatalogueProduct {
  /** Normalized barcodes and case barcodes (see `normalizeCode`), indexed for the scan look-up. */
  codes: string[]
}

/** The look-up codes of a product: its barcodes and case barcodes, normalized. */
export function productCodes(product: CatalogueProduct): string[] {
  return [...new Set([...product.barcodes, ...product.case_barcodes.map((c) => c.code)].map(normalizeCode))]
}

/** A status change as the tablet queues it: the marketplace's change, with the packing evidence when there is some. */
export type OutboxChange = StatusChange & { packing?: PackingEvidence }

/** What verified a parcel: the scans, or, for a lead who confirmed without scanning, why. */
export interface PackingEvidence {
  scans: PickScan[]
  /** How many scans the pack screen answered as wrong while packing; counted in "Today at a glance". */
  wrong_scans?: number
  /** A team lead's reason for confirming the packing without scans. */
  unscanned_reason?: string
}

export type OutboxState = 'queued' | 'inflight' | 'conflict'

/** What every outbox entry has, whatever it carries. */
interface OutboxEntryBase {
  seq?: number
  order_id: number
  /** Made once when the change is queued and sent with every retry, so the station applies it once. */
  key: string
  state: OutboxState
  attempts: number
  /** Not before this time (ms since epoch): the backoff. */
  next_at: number
  created_at: string
  /** Who made the change on this tablet. */
  user: string
  last_error: string | null
  /** Set when the station refused the change: its answer and its current order. */
  conflict: Problem | null
}

/** A status change. */
export interface StatusEntry extends OutboxEntryBase {
  kind: 'status'
  body: OutboxChange
}

/** A claim that this tablet's packer is packing the order. */
export interface ClaimEntry extends OutboxEntryBase {
  kind: 'claim'
}

/** This tablet's packer lets go of the order. */
export interface UnclaimEntry extends OutboxEntryBase {
  kind: 'unclaim'
}

/** A problem reported with the order (a short pick). */
export interface FlagEntry extends OutboxEntryBase {
  kind: 'flag'
  flag: FlagReport
}

/** The order's problem solved. */
export interface UnflagEntry extends OutboxEntryBase {
  kind: 'unflag'
}

/** MALL Delivery labels asked for. */
export interface LabelsEntry extends OutboxEntryBase {
  kind: 'labels'
  labels: LabelsRequest
}

/** A note on the order written, changed (`text`) or deleted (`text` null); the station keeps it by its id. */
export interface NoteEntry extends OutboxEntryBase {
  kind: 'note'
  note: NoteChange
}

export interface NoteChange {
  /** Made once on this tablet when the note is first written. */
  id: string
  text: string | null
}

/** A change the tablet still has to send to the station, told apart by `kind`. */
export type OutboxEntry = StatusEntry | ClaimEntry | UnclaimEntry | FlagEntry | UnflagEntry | LabelsEntry | NoteEntry

/** What a packer reports of a problem; the station adds who, where and when. */
export interface FlagReport {
  reason: FlagReason
  sku: string | null
  note: string | null
}

/** One scan that counted towards an order, kept as the packing evidence. */
export interface PickScan {
  sku: string
  units: number
  /** The code as scanned, or null for a line confirmed by hand. */
  code: string | null
  at: string
  source: EvidenceSource
  /** Why a line was confirmed by hand (its label would not scan). */
  reason?: string
}

/** Picking progress of an order on this tablet; it survives reloads, going offline and closing the app. */
export interface PickProgress {
  order_id: number
  user: string
  started_at: string
  scans: PickScan[]
  /** Scans answered as wrong (not on the order, unknown, one too many) while packing; absent is 0. */
  wrong_scans?: number
}

export interface LabelsRequest {
  parcel_count: number
  labels_type: 'pdf' | 'zpl'
}

/**
 * MALL Delivery labels of an order on this tablet. `queued`: the request waits in this tablet's
 * outbox; `waiting`: the station has it and asks the marketplace when it can; `ready`: the labels
 * are here and print offline.
 */
export interface LocalLabels extends LabelsRequest {
  order_id: number
  state: 'queued' | 'waiting' | 'ready'
  /** The marketplace's document, base64, once ready. */
  labels_raw: string | null
  /** One barcode per parcel, once ready. */
  barcodes: string[]
  requested_at: string
}

/** An order of the desk's history: the station's order and when it was placed, for the desk's first screen. */
export interface HistoryOrder extends StationOrder {
  desk_date: string
}

export interface MetaEntry {
  key: string
  value: unknown
}

export class PickingDatabase extends Dexie {
  orders!: EntityTable<LocalOrder, 'id'>
  products!: EntityTable<LocalProduct, 'sku'>
  outbox!: EntityTable<OutboxEntry, 'seq'>
  meta!: EntityTable<MetaEntry, 'key'>
  picks!: EntityTable<PickProgress, 'order_id'>
  labels!: EntityTable<LocalLabels, 'order_id'>
  history!: EntityTable<HistoryOrder, 'id'>

  /** `durability` is for measuring what "strict" costs (`npm run bench`); the app always uses strict. */
  constructor(name = 'picking-station', durability: 'strict' | 'relaxed' = 'strict') {
    // Until the station has it, the tablet holds the only copy of a packer's change. Since Chrome
    // 121 read-write transactions default to "relaxed": `complete` fires before the OS flushes, so
    // a power cut seconds later could lose a change the screen already showed as saved. "strict"
    // waits for the disk; the pull writes pages of hundreds of orders per transaction, so its
    // cost is a few flushes (measured in `npm run bench`).
    super(name, { chromeTransactionDurability: durability })
    this.version(1).stores({
      // [status+sort_at]: the queue's tabs, oldest first, read as keys so 10,000 orders stay fast.
      orders: 'id, status, [status+sort_at]',
      // *barcodes: a scanned code finds its product in one index look-up.
      products: 'sku, *barcodes',
      // [order_id+seq]: each order's changes in the order they were made.
      outbox: '++seq, order_id, state, [order_id+seq]',
      meta: 'key',
    })
    // 2: picking progress per order.
    this.version(2).stores({ picks: 'order_id' })
    // 3: *codes: a scan (a unit's or a case's code, UPC or EAN alike) finds its product in one look-up.
    this.version(3)
      .stores({ products: 'sku, *barcodes, *codes' })
      .upgrade((tx) =>
        tx
          .table('products')
          .toCollection()
          .modify((product: LocalProduct) => {
            product.codes = productCodes(product)
          }),
      )
    // 4: MALL Delivery labels per order, kept so they print again offline.
    this.version(4).stores({ labels: 'order_id, state' })
    // 5: the desk's history: every order the station holds (old final ones and test orders too),
    // pulled only where the desk is opened. The desk searches it in memory; desk_date (when the
    // order was placed) lets it paint its first screen, newest first, before reading it all.
    this.version(5).stores({ history: 'id, desk_date' })
  }
}

export const db = new PickingDatabase()

/** The value kept under `key` (see meta-keys.ts), or `fallback` when there is none. */
export async function getMeta<K extends MetaKey, F = MetaValues[K]>(key: K, fallback: F, database: PickingDatabase = db): Promise<MetaValues[K] | F> {
  const entry = await database.meta.get(key)
  return entry === undefined ? fallback : (entry.value as MetaValues[K])
}

export async function setMeta<K extends MetaKey>(key: K, value: MetaValues[K], database: PickingDatabase = db): Promise<void> {
  await database.meta.put({ key, value })
}
