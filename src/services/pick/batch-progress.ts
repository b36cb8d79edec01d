import { getMeta, setMeta, type PickingDatabase } from '@/db/schema'

/** A batch pick's progress, units picked per SKU, kept on the tablet under its orders' ids. */
export type BatchProgress = Record<string, number>

const key = (orderIds: readonly number[]) => `batch:${orderIds.join(',')}` as const

export async function batchProgress(db: PickingDatabase, orderIds: readonly number[]): Promise<BatchProgress> {
  return getMeta(key(orderIds), {}, db)
}

export async function saveBatchProgress(db: PickingDatabase, orderIds: readonly number[], picked: BatchProgress): Promise<void> {
  await setMeta(key(orderIds), picked, db)
}
