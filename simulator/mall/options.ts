import { DEFAULT_SEED } from './seed.ts'

export interface SimulatorOptions {
  /** Folder of the simulator's own SQLite file. */
  dataDir: string
  /** The partner key every `/v1` call must carry as `client_id`. */
  clientId: string
  /** Whether the marketplace acts by itself (new orders, payments, cancellations, deliveries). */
  activity: boolean
  activityIntervalMs: number
  /** Where changed order ids are posted, as MALL's webhook does; null for none. */
  webhookUrl: string | null
  /** At most one webhook call per this interval (MALL: a minute). */
  webhookIntervalMs: number
  seed: number
  clock: () => number
  /** Where the simulator's diagnostics go. */
  warn: (message: string) => void
}

export const SIMULATOR_DEFAULTS: Omit<SimulatorOptions, 'dataDir'> = {
  clientId: 'demo',
  activity: true,
  activityIntervalMs: 20_000,
  webhookUrl: null,
  webhookIntervalMs: 60_000,
  seed: DEFAULT_SEED,
  clock: Date.now,
  warn: (message) => console.warn(message),
}
