import { test as base } from 'vitest'
import { startSimulator, type RunningSimulator } from '../../support/simulator.ts'

/**
 * `test` with a running simulator, started for the file and closed after its last test (as a
 * `beforeAll` would have it): `test('…', async ({ sim }) => …)`.
 */
export const test = base.extend<{ $file: { sim: RunningSimulator } }>({
  sim: [
    async ({}, use) => {
      const sim = await startSimulator()
      await use(sim)
      await sim.close()
    },
    { scope: 'file' },
  ],
})
