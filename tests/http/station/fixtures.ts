import { test as base } from 'vitest'
import { startStation, type RunningStation } from '../../support/station.ts'
import { stationReady } from './helpers.ts'

interface SignedInStation {
  /** A station with the demo marketplace, started for the file and closed after its last test. */
  running: RunningStation
  /** The picker's token, signed in on tablet-1 once the station has read the marketplace. */
  token: string
  /** The team lead's token, signed in on tablet-2. */
  lead: string
}

/**
 * `test` with a signed-in station: the setup most station files share. The fixtures are
 * file-scoped, so a file's tests share one station, as a `beforeAll` would have it, and each
 * test names what it uses: `test('…', async ({ running, token }) => …)`.
 */
export const test = base.extend<{ $file: SignedInStation }>({
  running: [
    async ({}, use) => {
      const running = await startStation()
      await use(running)
      await running.close()
    },
    { scope: 'file' },
  ],
  token: [
    async ({ running }, use) => {
      const token = await running.signIn('picker', '1111', 'tablet-1')
      await stationReady(running)
      await use(token)
    },
    { scope: 'file' },
  ],
  lead: [
    async ({ running, token: _picker }, use) => {
      await use(await running.signIn('lead', '2222', 'tablet-2'))
    },
    { scope: 'file' },
  ],
})
