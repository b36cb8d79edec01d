import { test as base } from 'vitest'
import { startStation, type RunningStation } from '../../support/station.ts'
import { stationReady } from './helpers.ts'

export interface SignedInStation {
  /** How the file's station starts: the MALL demo unless a file says otherwise (the Allegro files). */
  startRunning: () => Promise<RunningStation>
  /** A station with the demo marketplace, started for the file and closed after its last test. */
  running: RunningStation
  /** The tablet the picker signs in on: tablet-1 unless a file says another (see `onDevice`). */
  device: string
  /** The picker's token, signed in on `device` once the station has read the marketplace. */
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
  startRunning: [
    async ({}, use) => {
      await use(() => startStation())
    },
    { scope: 'file' },
  ],
  running: [
    async ({ startRunning }, use) => {
      const running = await startRunning()
      await use(running)
      await running.close()
    },
    { scope: 'file' },
  ],
  device: [
    async ({}, use) => {
      await use('tablet-1')
    },
    { scope: 'file' },
  ],
  token: [
    async ({ running, device }, use) => {
      const token = await running.signIn('picker', '1111', device)
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

/** `test` with the picker signed in on another tablet than tablet-1, for files that read the device back. */
export function onDevice(device: string) {
  return test.extend<{ $file: { device: string } }>({
    device: [
      async ({}, use) => {
        await use(device)
      },
      { scope: 'file' },
    ],
  })
}
