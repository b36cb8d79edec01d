import Dexie from 'dexie'
import type { LocalOrder, PickingDatabase } from '@/db/schema'
import { isFreeToPack, type Packer } from '@/services/pick/packing-flow'

/**
 * The oldest open order on this tablet that nobody else is packing (the queue's own order: oldest
 * first), other than `except`; null when there is none. Read through the queue's index, so it
 * stops at the first free order instead of reading every open one.
 */
export async function findNextOrder(db: PickingDatabase, me: Packer, now: number, except: number | null = null): Promise<LocalOrder | null> {
  const found = await db.orders
    .where('[status+sort_at]')
    .between(['open', Dexie.minKey], ['open', Dexie.maxKey])
    .filter((order) => order.id !== except && isFreeToPack(order, me, now))
    .first()
  return found ?? null
}
