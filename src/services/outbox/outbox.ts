import Dexie from 'dexie'
import { CLAIM_MINUTES, type StationOrder } from '#core/station-api.ts'
import { applyStatusChange, checkStatusChange, orderForChange, type Refusal, type StatusChange } from '#core/status.ts'
import type { FlagReport, LabelsEntry, LabelsRequest, LocalLabels, LocalOrder, NoteChange, OutboxChange, OutboxEntry, PickingDatabase, StatusEntry } from '@/db/schema'
import type { ApiAnswer } from '@/services/api/client'
import { backoffDelay } from '#core/backoff.ts'
import { classifyAnswer } from './classify'

/**
 * The tablet's outbox. A status change is written to the order and to the outbox in one
 * transaction, then sent by one drainer at a time (across tabs, by a Web Lock), each order's
 * changes in the order they were made, each with the idempotency key made when it was queued.
 */

export const DRAIN_LOCK = 'picking-station-outbox'

/** The shortest wait before a change is sent again, however the jitter falls. */
export const MIN_RETRY_MS = 500

/** Platform pieces, injected so tests can drive time, locks and the network. */
export interface OutboxPlatform {
  db: PickingDatabase
  send(entry: OutboxEntry): Promise<ApiAnswer>
  /**
   * Sends several status changes in one request (`POST /api/changes`): an array with one answer
   * per entry, in order, or one answer for the whole request when it failed as a whole. Absent,
   * every change goes on its own.
   */
  sendBatch?(entries: StatusEntry[]): Promise<ApiAnswer[] | ApiAnswer>
  /** `navigator.locks`, or null where the browser lacks it (then one tab is assumed). */
  locks: Pick<LockManager, 'request'> | null
  clock: () => number
  random: () => number
  makeKey: () => string
}

/** The station view of an order made local, with this tablet's bookkeeping. */
export function toLocalOrder(order: StationOrder, localPending = 0): LocalOrder {
  return { ...order, sort_at: order.status_changed_at, local_pending: localPending }
}

/** The order with this tablet's change shown on it, before the station has it. */
function withLocalChange(order: LocalOrder, change: StatusChange, now: number, localPending: number): LocalOrder {
  const next = applyStatusChange(order, change, 'seller', now)
  const statusChanged = next.status !== order.status
  return {
    ...next,
    synced: false,
    sort_at: statusChanged ? new Date(now).toISOString() : order.sort_at,
    status_changed_at: statusChanged ? new Date(now).toISOString() : order.status_changed_at,
    local_pending: localPending,
  }
}

async function countPending(db: PickingDatabase, orderId: number): Promise<number> {
  return db.outbox.where('order_id').equals(orderId).count()
}

/** What one kind of entry carries besides what every entry has. */
type EntryFields =
  | { kind: 'status'; body: OutboxChange }
  | { kind: 'claim' }
  | { kind: 'unclaim' }
  | { kind: 'unflag' }
  | { kind: 'flag'; flag: FlagReport }
  | { kind: 'labels'; labels: LabelsRequest }
  | { kind: 'note'; note: NoteChange }

/** A new outbox entry: queued, due now, with the key it will be sent with every time. */
function newEntry(platform: Pick<OutboxPlatform, 'clock' | 'makeKey'>, orderId: number, fields: EntryFields, user: string): OutboxEntry {
  return {
    order_id: orderId,
    key: platform.makeKey(),
    ...fields,
    state: 'queued',
    attempts: 0,
    next_at: 0,
    created_at: new Date(platform.clock()).toISOString(),
    user,
    last_error: null,
    conflict: null,
  }
}

/**
 * Queues a status change made on this tablet: checked against the marketplace's rules, applied to
 * the order at once, and put in the outbox, all in one transaction. Returns the refusal instead
 * when the change breaks a rule, and changes nothing then.
 */
export async function enqueueStatusChange(
  platform: Pick<OutboxPlatform, 'db' | 'clock' | 'makeKey'>,
  orderId: number,
  change: OutboxChange,
  user: string,
): Promise<Refusal | null> {
  const { db, clock } = platform
  return db.transaction('rw', db.orders, db.outbox, db.labels, async () => {
    const order = await db.orders.get(orderId)
    if (!order) {
      return { code: 'TRANSITION_NOT_ALLOWED', message: `Order ${orderId} is not on this tablet: refresh the orders.`, attributes: {} } satisfies Refusal
    }
    // Labels asked for on this tablet count (they are sent before the change); labels made
    // elsewhere are fetched when the order is opened.
    const hasLabels = !order.mdp || (await db.labels.get(orderId)) !== undefined
    const refusal = checkStatusChange(orderForChange(order, hasLabels), change, 'seller', clock())
    if (refusal) return refusal
    await db.outbox.add(newEntry(platform, orderId, { kind: 'status', body: change }, user))
    await db.orders.put(withLocalChange(order, change, clock(), order.local_pending + 1))
    return null
  })
}

/**
 * Asks for MALL Delivery labels: recorded on the tablet at once (so the packer sees the request
 * and may mark the order shipped behind it) and queued like any change, so a request made offline
 * goes when the station is back.
 */
export async function enqueueLabels(
  platform: Pick<OutboxPlatform, 'db' | 'clock' | 'makeKey'>,
  orderId: number,
  request: LabelsRequest,
  user: string,
): Promise<void> {
  const { db } = platform
  await db.transaction('rw', db.orders, db.outbox, db.labels, async () => {
    const order = await db.orders.get(orderId)
    if (!order) return
    // A request not yet sent is replaced, not sent twice: new labels void the old ones anyway.
    const waiting = await db.outbox.where('order_id').equals(orderId).filter((e) => e.kind === 'labels' && e.state === 'queued').primaryKeys()
    await db.outbox.bulkDelete(waiting)
    await db.outbox.add(newEntry(platform, orderId, { kind: 'labels', labels: request }, user))
    await db.labels.put({ order_id: orderId, ...request, state: 'queued', labels_raw: null, barcodes: [], requested_at: new Date(platform.clock()).toISOString() })
    await db.orders.put({ ...order, local_pending: order.local_pending - waiting.length + 1 })
  })
}

/** What the station said about a labels request: here they are (200), or queued for the marketplace (202). */
async function settleLabels(db: PickingDatabase, entry: LabelsEntry, answer: ApiAnswer): Promise<void> {
  const body = (answer.body ?? {}) as Partial<LocalLabels>
  await db.transaction('rw', db.orders, db.outbox, db.labels, async () => {
    await db.outbox.delete(entry.seq as number)
    const request = entry.labels
    const ready = answer.status === 200 && typeof body.labels_raw === 'string'
    await db.labels.put({
      order_id: entry.order_id,
      parcel_count: ready ? Number(body.parcel_count ?? request.parcel_count) : request.parcel_count,
      labels_type: ready ? (body.labels_type === 'zpl' ? 'zpl' : 'pdf') : request.labels_type,
      state: ready ? 'ready' : 'waiting',
      labels_raw: ready ? (body.labels_raw as string) : null,
      barcodes: ready && Array.isArray(body.barcodes) ? body.barcodes : [],
      requested_at: entry.created_at,
    })
    const local = await db.orders.get(entry.order_id)
    if (local) await db.orders.put({ ...local, local_pending: await countPending(db, entry.order_id) })
  })
}

/**
 * The oldest change whose order has nothing older waiting and which may be sent now, and
 * otherwise when the next one falls due. Reading stops at the first due head, so a long outbox
 * costs one record per send, not the whole table.
 */
async function dueHeads(
  db: PickingDatabase,
  now: number,
  sending: ReadonlySet<number> = new Set(),
  skipStatus = false,
): Promise<{ due: OutboxEntry | null; nextAt: number | null }> {
  // An order being sent by another lane is skipped whole: its next change waits for the answer.
  const seen = new Set<number>(sending)
  let due: OutboxEntry | null = null
  let nextAt: number | null = null
  await db.outbox
    .orderBy('seq')
    .until(() => due !== null)
    .each((entry) => {
      if (seen.has(entry.order_id)) return
      seen.add(entry.order_id)
      // A refused change holds back the rest of its order until a person decides.
      if (entry.state === 'conflict') return
      // Status changes due now go in the next batch, not through a lane.
      if (skipStatus && entry.kind === 'status' && entry.next_at <= now) return
      if (entry.next_at <= now) due = entry
      else nextAt = nextAt === null ? entry.next_at : Math.min(nextAt, entry.next_at)
    })
  return { due, nextAt: due === null ? nextAt : null }
}

/** The most changes one batch carries (the station takes up to 100). */
export const MAX_BATCH = 100

/**
 * The due status changes at the head of their orders, at most `limit`, each order once: what one
 * batch may carry. A claim or a flag at an order's head keeps that order out (it goes on its own).
 */
async function dueStatusHeads(db: PickingDatabase, now: number, limit: number): Promise<StatusEntry[]> {
  const seen = new Set<number>()
  const heads: StatusEntry[] = []
  await db.outbox
    .orderBy('seq')
    .until(() => heads.length >= limit)
    .each((entry) => {
      if (seen.has(entry.order_id)) return
      seen.add(entry.order_id)
      if (entry.state === 'queued' && entry.kind === 'status' && entry.next_at <= now) heads.push(entry)
    })
  return heads
}

export interface DrainResult {
  /** How many changes the station took. */
  sent: number
  /** The drain stopped because the session is gone. */
  needsSignIn: boolean
  /** When the next waiting change falls due, if any. */
  nextAt: number | null
  /** Another tab holds the drain. */
  busyElsewhere: boolean
}

/**
 * Sends what is due, one change at a time, until nothing is due or the station cannot be
 * reached. Only one tab drains at a time.
 */
export async function drainOutbox(platform: OutboxPlatform, lanes = 4): Promise<DrainResult> {
  const run = async (): Promise<DrainResult> => {
    const { db } = platform
    // Holding the lock, no other tab is sending: anything in flight was left by a closed page.
    await recoverInflight(db)
    const sending = new Set<number>()
    // Status changes go in batches while the station takes them (an older one has no batch call).
    let batching = platform.sendBatch !== undefined
    const result: DrainResult = { sent: 0, needsSignIn: false, nextAt: null, busyElsewhere: false }
    let stopped = false
    const noteNext = (at: number | null) => {
      if (at !== null) result.nextAt = result.nextAt === null ? at : Math.min(result.nextAt, at)
    }
    // Several lanes send different orders' changes at once; one order is only ever in one lane.
    const lane = async () => {
      while (!stopped) {
        // Found and marked in flight in one transaction: a crash after it leaves the change in
        // flight, and it goes again with the same key.
        const { due, nextAt, taken } = await db.transaction('rw', db.outbox, async () => {
          const found = await dueHeads(db, platform.clock(), sending, batching)
          if (!found.due) return { ...found, taken: false }
          // Lanes look at the same time: the first to get here takes the order, the other looks again.
          if (sending.has(found.due.order_id)) return { due: null, nextAt: null, taken: true }
          sending.add(found.due.order_id)
          const marked: OutboxEntry = { ...found.due, state: 'inflight', attempts: found.due.attempts + 1 }
          await db.outbox.put(marked)
          return { due: marked, nextAt: null, taken: false }
        })
        if (taken) continue
        if (!due) {
          noteNext(nextAt)
          return
        }
        try {
          await sendOne(due)
        } finally {
          sending.delete(due.order_id)
        }
      }
    }
    /** Sends a change already marked in flight (`attempts` counts this attempt). */
    const sendOne = async (due: OutboxEntry) => settle(due, await platform.send(due))
    /** What the station's answer to a change in flight means for it. */
    const settle = async (due: OutboxEntry, answer: ApiAnswer) => {
      if (due.kind === 'unclaim' && (answer.status === 403 || answer.status === 404)) {
        await settleNothingToRelease(db, due)
        result.sent++
        return
      }
      if (due.kind === 'labels' && (answer.status === 200 || answer.status === 202)) {
        await settleLabels(db, due, answer)
        result.sent++
        return
      }
      const verdict = classifyAnswer(answer)
      switch (verdict.kind) {
        case 'done':
          await settleDone(db, due, verdict.order)
          result.sent++
          break
        case 'retry': {
          const delay = backoffDelay(due.attempts, { retryAfterMs: verdict.retryAfterMs, random: platform.random })
          // Never "now": a retry due at once would be neither sent in this drain nor reported as later.
          const at = platform.clock() + Math.max(MIN_RETRY_MS, delay)
          await db.outbox.update(due.seq as number, { state: 'queued', next_at: at, last_error: verdict.reason })
          // The station is out of reach: stop here instead of trying every order's head in turn.
          stopped = true
          noteNext(at)
          break
        }
        case 'reauth':
          // Not an attempt that counts towards the backoff: the change never got a hearing.
          await db.outbox.update(due.seq as number, { state: 'queued', attempts: due.attempts - 1, last_error: 'Sign in again to send this change.' })
          stopped = true
          result.needsSignIn = true
          break
        case 'conflict':
        case 'bug':
          await settleConflict(db, due, verdict.problem)
          break
      }
    }
    /**
     * Status changes go in batches first: the heads of up to 100 orders in one request, marked in
     * flight together and, when the station took them, settled together. What is left (claims,
     * flags, labels and the changes behind them) goes through the lanes below.
     */
    const batches = async () => {
      if (!platform.sendBatch || !batching) return
      while (!stopped) {
        const batch = await db.transaction('rw', db.outbox, async () => {
          const heads = await dueStatusHeads(db, platform.clock(), MAX_BATCH)
          const marked = heads.map((entry): StatusEntry => ({ ...entry, state: 'inflight', attempts: entry.attempts + 1 }))
          await db.outbox.bulkPut(marked)
          return marked
        })
        if (batch.length === 0) return
        const answers = await platform.sendBatch(batch)
        if (!Array.isArray(answers)) {
          if (answers.status === 404 || answers.status === 405) {
            // A station without the batch call: these go one by one through the lanes.
            await db.outbox.bulkPut(batch.map((entry) => ({ ...entry, state: 'queued' as const, attempts: entry.attempts - 1 })))
            batching = false
            return
          }
          // The request failed as a whole (no answer, signed out, station error): so did each change.
          for (const entry of batch) await settle(entry, answers)
          continue
        }
        const done: { entry: OutboxEntry; order: StationOrder }[] = []
        for (const [i, entry] of batch.entries()) {
          const answer = answers[i] ?? { status: 0, body: null, retryAfterMs: null, error: 'The station gave no answer for this change.' }
          const verdict = classifyAnswer(answer)
          if (verdict.kind === 'done') done.push({ entry, order: verdict.order })
          else await settle(entry, answer)
        }
        await settleDoneMany(db, done)
        result.sent += done.length
      }
    }
    // Batches, then the lanes for what cannot go in one; a claim sent by a lane may bring the
    // packing behind it to its order's head, so round again until a round sends nothing.
    for (;;) {
      const before = result.sent
      await batches()
      if (!stopped) await Promise.all(Array.from({ length: Math.max(1, lanes) }, lane))
      if (stopped || !batching || result.sent === before) break
    }
    if (result.needsSignIn) result.nextAt = null
    else if (stopped) noteNext((await dueHeads(db, platform.clock())).nextAt)
    return result
  }
  if (!platform.locks) return run()
  // ifAvailable: a tab that finds another draining leaves it be; that tab sends for all of them.
  return platform.locks.request(DRAIN_LOCK, { ifAvailable: true }, async (lock) => {
    if (!lock) return { sent: 0, needsSignIn: false, nextAt: null, busyElsewhere: true }
    return run()
  }) as unknown as Promise<DrainResult>
}

/** Several changes the station took, settled in one transaction (one disk flush for the batch). */
async function settleDoneMany(db: PickingDatabase, done: readonly { entry: OutboxEntry; order: StationOrder }[]): Promise<void> {
  if (done.length === 0) return
  await db.transaction('rw', db.orders, db.outbox, async () => {
    await db.outbox.bulkDelete(done.map(({ entry }) => entry.seq as number))
    for (const { entry, order } of done) {
      const left = await countPending(db, entry.order_id)
      const local = await db.orders.get(entry.order_id)
      if (left === 0) await db.orders.put(toLocalOrder(order, 0))
      else if (local) await db.orders.put({ ...local, revision: order.revision, local_pending: left })
    }
  })
}

async function settleDone(db: PickingDatabase, entry: OutboxEntry, order: StationOrder): Promise<void> {
  await db.transaction('rw', db.orders, db.outbox, async () => {
    await db.outbox.delete(entry.seq as number)
    const left = await countPending(db, entry.order_id)
    const local = await db.orders.get(entry.order_id)
    if (left === 0) {
      await db.orders.put(toLocalOrder(order, 0))
    } else if (local) {
      // Later changes of this order are still on their way: keep showing them, learn the revision.
      await db.orders.put({ ...local, revision: order.revision, local_pending: left })
    }
  })
}

async function settleConflict(db: PickingDatabase, entry: OutboxEntry, problem: NonNullable<OutboxEntry['conflict']>): Promise<void> {
  await db.transaction('rw', db.orders, db.outbox, async () => {
    await db.outbox.update(entry.seq as number, { state: 'conflict', conflict: problem, last_error: problem.detail })
    const local = await db.orders.get(entry.order_id)
    const left = await countPending(db, entry.order_id)
    if (entry.kind !== 'status' && local) {
      // A refused claim or flag changes only who holds the order: this tablet's own status
      // changes still waiting behind it stay on show.
      await db.orders.put({
        ...local,
        claim: problem.order?.claim ?? local.claim,
        flag: problem.order?.flag ?? local.flag,
        notes: problem.order?.notes ?? local.notes,
        local_pending: left,
      })
    } else if (problem.order) {
      // Show the station's order as it is, so the packer decides on what is true now.
      await db.orders.put(toLocalOrder(problem.order, left))
    } else if (local) {
      await db.orders.put({ ...local, local_pending: left })
    }
  })
}

/** "Discard my change": the refused change and the later ones of that order are dropped; the station's order stands. */
export async function discardConflict(db: PickingDatabase, seq: number): Promise<void> {
  await db.transaction('rw', db.orders, db.outbox, db.labels, async () => {
    const entry = await db.outbox.get(seq)
    if (!entry) return
    // A refused labels request leaves no labels behind on the tablet.
    if (entry.kind === 'labels' && (await db.labels.get(entry.order_id))?.state === 'queued') await db.labels.delete(entry.order_id)
    // Later status changes built on a refused status change go with it. A refused claim or flag is
    // only that: the packing confirmed behind it still stands and is sent.
    const dropped =
      entry.kind === 'status'
        ? await db.outbox.where('[order_id+seq]').between([entry.order_id, seq], [entry.order_id, Dexie.maxKey]).primaryKeys()
        : [seq]
    await db.outbox.bulkDelete(dropped)
    const order = entry.conflict?.order
    const left = await countPending(db, entry.order_id)
    // The station's order is shown as it is, unless this tablet's own later changes are still to go.
    if (order && left === 0) await db.orders.put(toLocalOrder(order, left))
    else {
      const local = await db.orders.get(entry.order_id)
      if (local) await db.orders.put({ ...local, local_pending: left })
    }
  })
}

/**
 * "Apply it again": the refused change, checked against the station's current order, queued
 * again in its own place (so the later changes of its order still follow it) with a new key.
 * Returns the refusal when it no longer fits the order, and changes nothing then.
 */
export async function reapplyConflict(
  platform: Pick<OutboxPlatform, 'db' | 'clock' | 'makeKey'>,
  seq: number,
  user: string,
): Promise<Refusal | null> {
  const { db, clock } = platform
  return db.transaction('rw', db.orders, db.outbox, async () => {
    const entry = await db.outbox.get(seq)
    if (!entry) return null
    const current = entry.conflict?.order
    if (current && entry.kind === 'status') {
      // Labels are taken as made: the retry is of a change the station has already weighed.
      const refusal = checkStatusChange(orderForChange(current, true), entry.body, 'seller', clock())
      if (refusal) return refusal
    }
    await db.outbox.update(seq, { key: platform.makeKey(), state: 'queued', attempts: 0, next_at: 0, last_error: null, conflict: null, user })
    // The tablet shows the station's order since the refusal: show the change on it again. Without
    // the station's order the tablet still shows its own changes, the re-applied one among them.
    const local = await db.orders.get(entry.order_id)
    if (local && current && entry.kind === 'status') await db.orders.put(withLocalChange(local, entry.body, clock(), local.local_pending))
    return null
  })
}

/** A change left in flight by a closed page or a crash goes again, with its key (the station answers it once). */
export async function recoverInflight(db: PickingDatabase): Promise<number> {
  return db.outbox.where('state').equals('inflight').modify({ state: 'queued', next_at: 0 })
}

/** Changes waiting out a backoff become due now (a person pressed Refresh, or the network came back). */
export async function retryNow(db: PickingDatabase): Promise<number> {
  return db.outbox.where('state').equals('queued').modify({ next_at: 0 })
}

/**
 * Queues a claim or flag and shows it on the order in one transaction; `show` returns the order
 * as the tablet should show it, or null when nothing is to be queued.
 */
async function queueBesideOrder(
  platform: Pick<OutboxPlatform, 'db'>,
  orderId: number,
  entry: () => OutboxEntry,
  show: (order: LocalOrder) => Promise<LocalOrder | null>,
): Promise<void> {
  const { db } = platform
  await db.transaction('rw', db.orders, db.outbox, async () => {
    const order = await db.orders.get(orderId)
    if (!order) return
    const shown = await show(order)
    if (!shown) return
    await db.outbox.add(entry())
    await db.orders.put({ ...shown, local_pending: order.local_pending + 1 })
  })
}

/**
 * Claims the order for this tablet's packer: shown on the order at once (provisional until the
 * station answers), and queued so a claim made offline reaches the station when it can. A second
 * packer who got there first wins; this tablet is then told, as a conflict.
 */
export async function enqueueClaim(
  platform: Pick<OutboxPlatform, 'db' | 'clock' | 'makeKey'>,
  orderId: number,
  user: string,
  deviceId: string,
): Promise<void> {
  const now = platform.clock()
  await queueBesideOrder(platform, orderId, () => newEntry(platform, orderId, { kind: 'claim' }, user), async (order) => {
    // One claim waiting is enough: the station renews it when it gets there.
    const waiting = await platform.db.outbox.where('order_id').equals(orderId).filter((e) => e.kind === 'claim' && e.state !== 'conflict').count()
    if (waiting > 0) return null
    return { ...order, claim: { user, device_id: deviceId, claimed_at: new Date(now).toISOString(), until: new Date(now + CLAIM_MINUTES * 60_000).toISOString() } }
  })
}

/**
 * Lets go of this packer's claim (they left the order with nothing scanned): shown at once. A
 * claim never sent is taken back from the outbox, so the station hears of neither; one the
 * station may have is released through the outbox, so it works offline too.
 */
export async function enqueueUnclaim(platform: Pick<OutboxPlatform, 'db' | 'clock' | 'makeKey'>, orderId: number, user: string): Promise<void> {
  const { db } = platform
  await db.transaction('rw', db.orders, db.outbox, async () => {
    const order = await db.orders.get(orderId)
    if (!order) return
    // attempts 0: never on the wire. One sent without an answer may have reached the station.
    const unsent = await db.outbox
      .where('order_id')
      .equals(orderId)
      .filter((e) => e.kind === 'claim' && e.state === 'queued' && e.attempts === 0)
      .primaryKeys()
    await db.outbox.bulkDelete(unsent)
    const added = unsent.length === 0 ? 1 : 0
    if (added) await db.outbox.add(newEntry(platform, orderId, { kind: 'unclaim' }, user))
    await db.orders.put({ ...order, claim: null, local_pending: order.local_pending - unsent.length + added })
  })
}

/** A release the station refused (the claim is someone else's now, or the order is gone): nothing is left to let go. */
async function settleNothingToRelease(db: PickingDatabase, entry: OutboxEntry): Promise<void> {
  await db.transaction('rw', db.orders, db.outbox, async () => {
    await db.outbox.delete(entry.seq as number)
    const local = await db.orders.get(entry.order_id)
    if (local) await db.orders.put({ ...local, local_pending: await countPending(db, entry.order_id) })
  })
}

/**
 * Reports a problem with an order (a short pick) or clears it: shown at once, sent through the
 * outbox like any change so it survives a dead Wi-Fi. The order stays open.
 */
export async function enqueueFlag(
  platform: Pick<OutboxPlatform, 'db' | 'clock' | 'makeKey'>,
  orderId: number,
  flag: FlagReport | null,
  user: string,
  deviceId: string,
): Promise<void> {
  const now = new Date(platform.clock()).toISOString()
  await queueBesideOrder(platform, orderId, () => newEntry(platform, orderId, flag ? { kind: 'flag', flag } : { kind: 'unflag' }, user), async (order) => ({
    ...order,
    flag: flag ? { ...flag, user, device_id: deviceId, flagged_at: now } : null,
  }))
}

/**
 * Writes, changes (`text`) or deletes (`text` null) a note on the order: shown at once and sent
 * through the outbox like any change, so a note written offline reaches the other tablets once
 * the Wi-Fi is back. The station keeps notes by the id made here.
 */
export async function enqueueNote(
  platform: Pick<OutboxPlatform, 'db' | 'clock' | 'makeKey'>,
  orderId: number,
  note: NoteChange,
  user: string,
  deviceId: string,
): Promise<void> {
  const now = new Date(platform.clock()).toISOString()
  await queueBesideOrder(platform, orderId, () => newEntry(platform, orderId, { kind: 'note', note }, user), async (order) => {
    const notes = order.notes ?? []
    const existing = notes.find((n) => n.id === note.id)
    if (note.text === null) return { ...order, notes: notes.filter((n) => n.id !== note.id) }
    if (existing) return { ...order, notes: notes.map((n) => (n.id === note.id ? { ...n, text: note.text as string, updated_at: now, updated_by: user } : n)) }
    return { ...order, notes: [...notes, { id: note.id, text: note.text, user, device_id: deviceId, created_at: now, updated_at: now, updated_by: user }] }
  })
}
