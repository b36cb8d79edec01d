import { resolve } from 'node:path'
import { z } from 'zod'
import type { AllegroSimulatorOptions } from './options.ts'

/**
 * The settings of the Allegro simulator run on its own (`npm run simulator:allegro`); its
 * default port is 8091. In demo-allegro mode the station reads its own settings and mounts it.
 */
const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(8091),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  ALLEGRO_CLIENT_ID: z.string().min(1).default('demo-client-id'),
  ALLEGRO_CLIENT_SECRET: z.string().min(1).default('demo-client-secret'),
  SIM_CONTROL: z.enum(['loopback', 'lan']).default('loopback'),
  SIM_ACTIVITY: z.enum(['on', 'off', 'true', 'false', '1', '0']).default('on'),
  SIM_ACTIVITY_INTERVAL_MS: z.coerce.number().int().min(10).max(86_400_000).default(20_000),
  SIM_SEED: z.coerce.number().int().default(20261126),
})

export class AllegroSimulatorConfigError extends Error {}

export interface StandaloneAllegroConfig {
  port: number
  host: string
  control: 'loopback' | 'lan'
  options: Pick<AllegroSimulatorOptions, 'dataDir' | 'clientId' | 'clientSecret' | 'seed' | 'activity' | 'activityIntervalMs'>
}

export function loadAllegroSimulatorConfig(env: Record<string, string | undefined>): StandaloneAllegroConfig {
  // An empty variable means "not set", as shells and .env files often leave them.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''))
  const parsed = envSchema.safeParse(present)
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`)
    throw new AllegroSimulatorConfigError(`The Allegro simulator cannot start; fix these environment variables:\n${lines.join('\n')}`)
  }
  const e = parsed.data
  return {
    port: e.PORT,
    host: e.HOST,
    control: e.SIM_CONTROL,
    options: { dataDir: resolve(e.DATA_DIR), clientId: e.ALLEGRO_CLIENT_ID, clientSecret: e.ALLEGRO_CLIENT_SECRET, seed: e.SIM_SEED,
      activity: ['on', 'true', '1'].includes(e.SIM_ACTIVITY),
      activityIntervalMs: e.SIM_ACTIVITY_INTERVAL_MS,
    },
  }
}
