import { resolve } from 'node:path'
import { z } from 'zod'
import type { SimulatorOptions } from './marketplace.ts'

/**
 * The settings of the simulator run on its own (`npm run simulator`), from the same environment
 * variables the station documents in README.md ("Settings"); its default port is 8090. In demo
 * mode the station reads them itself and starts the simulator through its wiring.
 */
const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(8090),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  MALL_CLIENT_ID: z.string().min(1).default('demo'),
  SIM_ACTIVITY: z.enum(['on', 'off', 'true', 'false', '1', '0']).default('on'),
  SIM_ACTIVITY_INTERVAL_MS: z.coerce.number().int().min(10).max(86_400_000).default(20_000),
  SIM_WEBHOOK_URL: z.url().optional(),
  SIM_WEBHOOK_INTERVAL_MS: z.coerce.number().int().min(10).max(86_400_000).default(60_000),
  SIM_CONTROL: z.enum(['loopback', 'lan']).default('loopback'),
  SIM_SEED: z.coerce.number().int().default(20261122),
})

export class SimulatorConfigError extends Error {}

export interface StandaloneSimulatorConfig {
  port: number
  host: string
  control: 'loopback' | 'lan'
  options: Omit<SimulatorOptions, 'clock' | 'warn'>
}

export function loadSimulatorConfig(env: Record<string, string | undefined>): StandaloneSimulatorConfig {
  // An empty variable means "not set", as shells and .env files often leave them.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''))
  const parsed = envSchema.safeParse(present)
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`)
    throw new SimulatorConfigError(`The simulator cannot start; fix these environment variables (see README.md, "Settings"):\n${lines.join('\n')}`)
  }
  const e = parsed.data
  return {
    port: e.PORT,
    host: e.HOST,
    control: e.SIM_CONTROL,
    options: {
      dataDir: resolve(e.DATA_DIR),
      clientId: e.MALL_CLIENT_ID,
      activity: ['on', 'true', '1'].includes(e.SIM_ACTIVITY),
      activityIntervalMs: e.SIM_ACTIVITY_INTERVAL_MS,
      webhookUrl: e.SIM_WEBHOOK_URL ?? null,
      webhookIntervalMs: e.SIM_WEBHOOK_INTERVAL_MS,
      seed: e.SIM_SEED,
    },
  }
}
