import { test as stationTest } from './fixtures.ts'
import { eventually, startStation, type RunningStation, type StartStationOptions } from '../../support/station.ts'

/**
 * A station working the simulated Allegro (MARKETPLACE=demo-allegro), and readings of what the
 * simulated Allegro received (`/allegro/_sim/log`): what the marketplace would see.
 */

export interface AllegroLogEntry {
  seq: number
  method: string
  path: string
  query: Record<string, string>
  body: Record<string, unknown> | null
  status: number | null
}

export function startAllegroStation(options: StartStationOptions = {}): Promise<RunningStation> {
  return startStation({ ...options, allegro: { trackingIntervalMs: 300, ...options.allegro }, env: { MARKETPLACE: 'demo-allegro', POLL_INTERVAL_MS: '300', ...options.env } })
}

/** `test` with a signed-in station on the simulated Allegro, shared by a file's tests (see fixtures.ts). */
export const test = stationTest.extend<{ $file: { startRunning: () => Promise<RunningStation> } }>({
  startRunning: [
    async ({}, use) => {
      await use(() => startAllegroStation())
    },
    { scope: 'file' },
  ],
})

/** A delivery method of the simulated Allegro by its name. */
export async function deliveryMethod(running: RunningStation, name: string): Promise<string> {
  const methods = (await running.allegro('GET', '/_sim/delivery-methods')).body.deliveryMethods as { id: string; name: string }[]
  const method = methods.find((m) => m.name === name)
  if (!method) throw new Error(`no delivery method ${name}: ${methods.map((m) => m.name).join(', ')}`)
  return method.id
}

/** A buyer pays for a new order on Allegro; resolves to the station's order once it has it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the order as the station API sent it
export async function newAllegroOrder(running: RunningStation, token: string, body: Record<string, unknown>): Promise<{ formId: string; order: any }> {
  const created = await running.allegro('POST', '/_sim/orders', body)
  if (created.status !== 201) throw new Error(`creating an order failed: ${created.status} ${created.text}`)
  const formId = created.body.id as string
  const order = await eventually(async () => {
    const pulled = await running.api('GET', '/api/orders?limit=5000', { token })
    return (pulled.body.orders as { external_id: string }[]).find((o) => o.external_id === formId)
  }, 15_000)
  return { formId, order }
}

export async function allegroLog(running: RunningStation): Promise<AllegroLogEntry[]> {
  return (await running.allegro('GET', '/_sim/log')).body.entries as AllegroLogEntry[]
}

/** The writes Allegro received for one checkout form (the OAuth calls left out). */
export async function writesOf(running: RunningStation, formId: string): Promise<AllegroLogEntry[]> {
  return (await allegroLog(running)).filter((entry) => entry.path.includes(formId))
}

/** The fulfillment statuses Allegro took for a form, in order. */
export async function fulfillmentsOf(running: RunningStation, formId: string): Promise<string[]> {
  return (await writesOf(running, formId)).filter((e) => e.method === 'PUT' && e.path.endsWith('/fulfillment') && e.status === 204).map((e) => String(e.body?.status))
}

/** The checkout form as the simulated Allegro has it now. */
export function allegroForm(running: RunningStation, formId: string) {
  const sim = running.station.allegroSimulator
  if (!sim) throw new Error('the station does not run the Allegro simulator')
  return sim.getForm(formId)
}
