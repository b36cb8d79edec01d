import { createRandom } from '../simulator/common/random.ts'
import { buildCatalogue, buildOrder, pickLines } from '../simulator/mall/seed.ts'
import type { RunningStation } from '../tests/support/station.ts'

/**
 * Fills a station's mirror with generated open orders (ids the simulator does not know), as a
 * busy warehouse would have them. Returns their ids.
 */
export function fillMirror(running: RunningStation, count: number): number[] {
  const catalogue = buildCatalogue()
  const random = createRandom(7)
  const now = Date.now()
  const ids: number[] = []
  running.station.db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const id = 50_000_000_000 + i
      ids.push(id)
      const order = buildOrder(
        {
          id,
          status: 'open',
          createdAt: now - 3_600_000 - i * 1000,
          statusAt: now - 3_000_000 - i * 1000,
          items: pickLines(catalogue, random),
          cod: i % 2 === 0,
          mdp: i % 3 === 0,
          pickup: i % 4 === 0,
          test: false,
          discount: 0,
          market: 'cz',
        },
        random,
      )
      running.station.orders.upsertFromMarketplace(order)
    }
  })()
  return ids
}
