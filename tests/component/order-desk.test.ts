// @vitest-environment jsdom
// fake-indexeddb must be in place before Dexie is first imported.
import 'fake-indexeddb/auto'
import type { Pinia } from 'pinia'
import type { VueWrapper } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { PickingDatabase } from '@/db/schema'
import type { StationOrder } from '#core/station-api.ts'
import DeskPage from '@/pages/DeskPage.vue'
import { orderDate } from '@/services/desk/desk-orders'
import { readDeskHeadEarly } from '@/services/desk/first-screen'
import { HISTORY_READ_CHUNK } from '@/services/desk/history'
import { stationOrder, until } from '../unit/pwa/fixtures'
import { closeApp, freshDatabase, mountApp, signInOn, usePlatform } from './support/tablet'

/**
 * The order desk as it opens: its first screen at once, then every order the device holds.
 * (Browser tests cover searching, filters and exports against a real station.)
 */
describe('the order desk as it opens', () => {
  let db: PickingDatabase
  let wrapper: VueWrapper | null = null
  let pinia: Pinia
  // jsdom lays nothing out: every box measures as a lead's screen, so the list has room for rows.
  beforeEach(() => {
    vi.spyOn(Element.prototype, 'clientWidth', 'get').mockReturnValue(1280)
    vi.spyOn(Element.prototype, 'clientHeight', 'get').mockReturnValue(800)
  })
  afterEach(async () => {
    await closeApp(wrapper, pinia, db)
    wrapper = null
    vi.restoreAllMocks()
  })

  /** Order 1000 + i, placed i minutes after 2024-03-10 09:00 (the newest has the highest number). */
  const placed = (i: number): StationOrder => {
    const at = new Date(Date.UTC(2024, 2, 10, 8, i)).toISOString().replace('T', ' ').slice(0, 19)
    return stationOrder({ id: 1000 + i, blocked: at, open: at })
  }
  async function holdHistory(count: number): Promise<void> {
    const orders = Array.from({ length: count }, (_, i) => placed(i))
    await db.history.bulkPut(orders.map((order) => ({ ...order, desk_date: orderDate(order) })))
  }
  const shownIds = () => wrapper!.findAll('[data-order-id]').map((row) => Number(row.attributes('data-order-id')))
  const matching = () => wrapper!.find('.desk__matching').text()

  it('opened at its address, shows the newest orders in its very first render', async () => {
    db = freshDatabase()
    usePlatform(db, { clock: () => Date.now() })
    await signInOn(db)
    await holdHistory(60)
    // As the app starts on /desk: the first screen is read beside the session.
    await readDeskHeadEarly(db)
    ;({ wrapper, pinia } = await mountApp(DeskPage, '/desk'))
    // Nothing awaited since mounting: this is the first frame a lead sees.
    expect(shownIds().slice(0, 3)).toEqual([1059, 1058, 1057])
    expect(matching()).toBe('Reading the orders on this device…')
  })

  it('reads every order the device holds, in slices, and follows a change to them', async () => {
    db = freshDatabase()
    usePlatform(db, { clock: () => Date.now() })
    await signInOn(db)
    const count = 2 * HISTORY_READ_CHUNK + 5
    await holdHistory(count)
    ;({ wrapper, pinia } = await mountApp(DeskPage, '/desk'))
    await until(() => matching() === `Matching orders: ${count.toLocaleString('en')}`, 10_000)
    // Every count is written the reader's way: the status chip of the open orders too.
    expect(wrapper!.findAll('button.desk__status').map((chip) => chip.text())).toContain(`open ${count.toLocaleString('en')}`)
    // An order the history gains (a refresh, another tab) is counted without reopening the desk.
    await db.history.put({ ...placed(count), desk_date: orderDate(placed(count)) })
    await until(() => matching() === `Matching orders: ${(count + 1).toLocaleString('en')}`, 10_000)
  }, 30_000)
})
