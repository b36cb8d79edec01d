import { eventually, startStation, type RunningStation } from '../../support/station.ts'
import { distDir } from './global-setup.ts'

/**
 * The station the tablet talks to, started in-process with the built PWA and the demo
 * marketplace simulator, and the readings a test makes of it: what the station recorded
 * (`GET /api/orders/:id`) and what the marketplace received (`/mall/_sim/log`).
 */

export { eventually, type RunningStation }

export interface StationUnderTest {
  running: RunningStation
  /** A token of the station's own (for readings; the tablet signs in by itself). */
  token: string
}

/** Starts the demo station serving `dist/`, and waits until it has read the marketplace once. */
export async function startDemoStation(env: Record<string, string> = {}): Promise<StationUnderTest> {
  const running = await startStation({ distDir, env })
  const token = await running.signIn('lead', '2222', 'test-observer')
  await eventually(async () => (await running.api('GET', '/api/health')).body?.marketplace?.last_poll_ok_at, 15_000)
  return { running, token }
}

/** A new open order arrives at the marketplace (own carrier, home delivery); waits until the station's mirror has it. */
export async function newOrder({ running, token }: StationUnderTest, body: Record<string, unknown> = {}): Promise<number> {
  const created = await running.mall('POST', '/_sim/orders', { mdp: false, pickup_point: false, ...body })
  if (created.status !== 201) throw new Error(`the simulator did not create an order: ${created.status} ${created.text}`)
  const id = created.body.data.id as number
  await eventually(async () => (await running.api('GET', `/api/orders/${id}`, { token })).status === 200, 10_000)
  return id
}

export async function newOrders(station: StationUnderTest, count: number): Promise<number[]> {
  const ids: number[] = []
  for (let i = 0; i < count; i++) ids.push(await newOrder(station))
  return ids
}

export interface HistoryEntry {
  action: string
  actor: 'user' | 'marketplace' | 'station'
  details: Record<string, unknown>
  marketplace_state: string
  user: string | null
  device_id: string | null
}

export interface StationOrderView {
  order: { id: number; status: string; synced: boolean; pending_changes: number; revision: number; [field: string]: unknown }
  history: HistoryEntry[]
}

/** The station's view of an order and its history. */
export async function stationOrder({ running, token }: StationUnderTest, orderId: number): Promise<StationOrderView> {
  const result = await running.api('GET', `/api/orders/${orderId}`, { token })
  if (result.status !== 200) throw new Error(`GET /api/orders/${orderId}: ${result.status} ${result.text}`)
  return result.body as StationOrderView
}

/** The status changes people made to an order, as the station recorded them (not the marketplace's own). */
export async function statusHistory(station: StationUnderTest, orderId: number): Promise<HistoryEntry[]> {
  return (await stationOrder(station, orderId)).history.filter((entry) => entry.action === 'status' && entry.actor === 'user')
}

export interface SimLogEntry {
  seq: number
  method: string
  path: string
  body: Record<string, unknown> | null
  status: number | null
}

/** Every write the simulated marketplace received. */
export async function simLog({ running }: StationUnderTest): Promise<SimLogEntry[]> {
  const result = await running.mall('GET', '/_sim/log')
  if (result.status !== 200) throw new Error(`GET /mall/_sim/log: ${result.status} ${result.text}`)
  return result.body.data as SimLogEntry[]
}

/** The `PUT /v1/orders/{id}` requests the marketplace received for an order, answered or not. */
export async function putsOf(station: StationUnderTest, orderId: number): Promise<SimLogEntry[]> {
  return (await simLog(station)).filter((entry) => entry.method === 'PUT' && entry.path === `/v1/orders/${orderId}`)
}

/** The marketplace's own view of an order. */
export async function marketplaceStatus({ running }: StationUnderTest, orderId: number): Promise<string> {
  const result = await running.mall('GET', `/v1/orders/${orderId}`)
  if (result.status !== 200) throw new Error(`GET /mall/v1/orders/${orderId}: ${result.status} ${result.text}`)
  return result.body.data.status as string
}

export async function setOutage({ running }: StationUnderTest, mode: '503' | 'hang' | 'off'): Promise<void> {
  const result = await running.mall('POST', '/_sim/outage', { mode })
  if (result.status !== 200) throw new Error(`outage ${mode}: ${result.status} ${result.text}`)
}

/** Waits until the marketplace has applied (answered 200) `count` PUTs of the order, and returns them. */
export async function waitForAppliedPuts(station: StationUnderTest, orderId: number, count: number, timeoutMs = 15_000): Promise<SimLogEntry[]> {
  return eventually(async () => {
    const applied = (await putsOf(station, orderId)).filter((entry) => entry.status === 200)
    return applied.length >= count ? applied : null
  }, timeoutMs)
}
