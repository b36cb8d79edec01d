import { resolve } from 'node:path'
import { z } from 'zod'
import { canonicalTimeZone, DEFAULT_TIME_ZONE } from '#core/datetime.ts'
import type { StationPrinter } from '#core/station-api.ts'
import { canonicalIp, isHostName } from './https/names.ts'
import { parsePrinters } from './printing/printers.ts'

/**
 * Every setting of the station comes from the environment; each is documented in README.md.
 * A bad value stops the start with a sentence naming the variable, never a silent default.
 */

const onOff = z
  .enum(['on', 'off', 'true', 'false', '1', '0'])
  .transform((value) => value === 'on' || value === 'true' || value === '1')

const milliseconds = (fallback: number) => z.coerce.number().int().min(10).max(86_400_000).default(fallback)

const schema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65_535).default(8080),
    HTTPS_PORT: z.coerce.number().int().min(0).max(65_535).default(8443),
    TLS_CERT: z.string().min(1).optional(),
    TLS_KEY: z.string().min(1).optional(),
    TLS_HOSTNAMES: z
      .string()
      .transform((value, ctx) => {
        const names = value
          .split(',')
          .map((name) => name.trim())
          .filter(Boolean)
        const bad = names.filter((name) => !isHostName(name) && !canonicalIp(name))
        if (bad.length > 0) ctx.addIssue({ code: 'custom', message: `not a host name or IP address: ${bad.join(', ')} (give names separated by commas, e.g. station.warehouse.lan,picking)` })
        return names
      })
      .optional(),
    HOST: z.string().min(1).default('0.0.0.0'),
    DATA_DIR: z.string().min(1).default('./data'),
    MARKETPLACE: z.enum(['demo', 'mall', 'allegro', 'demo-allegro']).default('demo'),
    MALL_API_URL: z.url().optional(),
    MALL_CLIENT_ID: z.string().min(1).optional(),
    ALLEGRO_CLIENT_ID: z.string().min(1).optional(),
    ALLEGRO_CLIENT_SECRET: z.string().min(1).optional(),
    ALLEGRO_ENV: z.enum(['sandbox', 'production']).default('production'),
    ALLEGRO_API_URL: z.url().optional(),
    ALLEGRO_OAUTH_URL: z.url().optional(),
    POLL_INTERVAL_MS: z.coerce.number().int().min(10).max(86_400_000).optional(),
    SIM_ACTIVITY: onOff.default(true),
    SIM_ACTIVITY_INTERVAL_MS: milliseconds(20_000),
    SIM_WEBHOOK_URL: z.url().optional(),
    SIM_WEBHOOK_INTERVAL_MS: milliseconds(60_000),
    SIM_CONTROL: z.enum(['loopback', 'lan']).default('loopback'),
    SIM_SEED: z.coerce.number().int().default(20261122),
    PRINTERS: z
      .string()
      .transform((value, ctx) => {
        try {
          return parsePrinters(value)
        } catch (error) {
          ctx.addIssue({ code: 'custom', message: (error as Error).message })
          return z.NEVER
        }
      })
      .optional(),
  })
  .superRefine((env, ctx) => {
    if (env.HTTPS_PORT !== 0 && env.HTTPS_PORT === env.PORT) {
      ctx.addIssue({ code: 'custom', path: ['HTTPS_PORT'], message: `must differ from PORT (${env.PORT}): plain HTTP serves the setup page, HTTPS the app` })
    }
    if (Boolean(env.TLS_CERT) !== Boolean(env.TLS_KEY)) {
      ctx.addIssue({ code: 'custom', path: [env.TLS_CERT ? 'TLS_KEY' : 'TLS_CERT'], message: 'TLS_CERT and TLS_KEY go together: the certificate (PEM) and its private key (PEM)' })
    }
    if (env.MARKETPLACE === 'allegro') {
      for (const name of ['ALLEGRO_CLIENT_ID', 'ALLEGRO_CLIENT_SECRET'] as const) {
        if (!env[name]) ctx.addIssue({ code: 'custom', path: [name], message: 'is required with MARKETPLACE=allegro (from your app at apps.developer.allegro.pl, a device-flow app)' })
      }
    }
    if (env.MARKETPLACE === 'mall' && !env.MALL_CLIENT_ID) {
      ctx.addIssue({ code: 'custom', path: ['MALL_CLIENT_ID'], message: 'is required with MARKETPLACE=mall (your MALL partner API key)' })
    }
  })

export interface StationConfig {
  /** Plain HTTP: the setup page for devices, the whole station for this machine (`localhost`). */
  port: number
  /** HTTPS: the app, `/api`, `/media` (and `/mall` in demo mode) for the tablets. */
  httpsPort: number
  host: string
  tls: {
    /** A certificate and key of one's own (PEM files); null for the station's own CA. */
    certFile: string | null
    keyFile: string | null
    /** Extra names (and addresses) the station's own certificate carries, from `TLS_HOSTNAMES`. */
    hostnames: string[]
  }
  dataDir: string
  /** `demo` and `demo-allegro` run the simulator of MALL or Allegro inside the station. */
  marketplace: MarketplaceMode
  /** Base of the marketplace's API, without the `/v1`. */
  mallApiUrl: string
  mallClientId: string
  allegro: {
    clientId: string
    clientSecret: string
    env: 'sandbox' | 'production'
    /** The REST API and the OAuth host; in demo-allegro mode the simulator's, once the port is known. */
    apiUrl: string
    oauthUrl: string
  }
  pollIntervalMs: number
  /** The label printers `PRINTERS` names, replacing the saved ones at start; null when it is not set. */
  printers: StationPrinter[] | null
  /** The warehouse's time zone until a lead sets one in the settings: `TZ`, else Europe/Prague. */
  timeZone: string
  simulator: {
    activity: boolean
    activityIntervalMs: number
    webhookUrl: string | null
    webhookIntervalMs: number
    seed: number
    /** Who may use the simulator's control API (`/mall/_sim`): this computer only, or the LAN too. */
    control: 'loopback' | 'lan'
  }
}

export type MarketplaceMode = 'demo' | 'mall' | 'allegro' | 'demo-allegro'

/** Whether the station runs a marketplace simulator of its own (demo users, demo printer). */
export function isDemo(config: Pick<StationConfig, 'marketplace'>): boolean {
  return config.marketplace === 'demo' || config.marketplace === 'demo-allegro'
}

/** Allegro's hosts: production `api.allegro.pl` / `allegro.pl`, or the sandbox's. */
function allegroHosts(env: 'sandbox' | 'production'): { apiUrl: string; oauthUrl: string } {
  return env === 'production'
    ? { apiUrl: 'https://api.allegro.pl', oauthUrl: 'https://allegro.pl' }
    : { apiUrl: 'https://api.allegro.pl.allegrosandbox.pl', oauthUrl: 'https://allegro.pl.allegrosandbox.pl' }
}

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env): StationConfig {
  // An empty variable means "not set", as shells and .env files often leave them.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''))
  const parsed = schema.safeParse(present)
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`)
    throw new ConfigError(`The station cannot start; fix these environment variables (see README.md, "Settings"):\n${lines.join('\n')}`)
  }
  const e = parsed.data
  return {
    port: e.PORT,
    httpsPort: e.HTTPS_PORT,
    tls: {
      certFile: e.TLS_CERT ? resolve(e.TLS_CERT) : null,
      keyFile: e.TLS_KEY ? resolve(e.TLS_KEY) : null,
      hostnames: e.TLS_HOSTNAMES ?? [],
    },
    host: e.HOST,
    dataDir: resolve(e.DATA_DIR),
    marketplace: e.MARKETPLACE,
    mallApiUrl: (e.MALL_API_URL ?? (e.MARKETPLACE === 'mall' ? 'https://mpapi.mallgroup.com' : `http://127.0.0.1:${e.PORT}/mall`)).replace(/\/+$/, ''),
    mallClientId: e.MALL_CLIENT_ID ?? 'demo',
    allegro: {
      clientId: e.ALLEGRO_CLIENT_ID ?? 'demo',
      clientSecret: e.ALLEGRO_CLIENT_SECRET ?? 'demo',
      env: e.ALLEGRO_ENV,
      ...(e.MARKETPLACE === 'demo-allegro'
        ? { apiUrl: `http://127.0.0.1:${e.PORT}/allegro`, oauthUrl: `http://127.0.0.1:${e.PORT}/allegro` }
        : allegroHosts(e.ALLEGRO_ENV)),
      ...(e.ALLEGRO_API_URL ? { apiUrl: e.ALLEGRO_API_URL.replace(/\/+$/, '') } : {}),
      ...(e.ALLEGRO_OAUTH_URL ? { oauthUrl: e.ALLEGRO_OAUTH_URL.replace(/\/+$/, '') } : {}),
    },
    // MALL asks integrators not to poll hard (a minute); Allegro's events feed is cheap and a
    // buyer's cancellation should reach the floor soon (15 s).
    pollIntervalMs: e.POLL_INTERVAL_MS ?? (e.MARKETPLACE === 'allegro' || e.MARKETPLACE === 'demo-allegro' ? 15_000 : 60_000),
    printers: e.PRINTERS ?? null,
    // TZ belongs to the whole system, so a value Intl does not know (a POSIX rule such as
    // "CET-1") is passed over rather than stopping the start.
    timeZone: canonicalTimeZone(present.TZ) ?? DEFAULT_TIME_ZONE,
    simulator: {
      activity: e.SIM_ACTIVITY,
      activityIntervalMs: e.SIM_ACTIVITY_INTERVAL_MS,
      webhookUrl: e.SIM_WEBHOOK_URL ?? null,
      webhookIntervalMs: e.SIM_WEBHOOK_INTERVAL_MS,
      seed: e.SIM_SEED,
      control: e.SIM_CONTROL,
    },
  }
}

/** The demo marketplace simulator's settings, as the station's wiring starts it in demo mode. */
export function simulatorSettings(config: StationConfig) {
  return {
    dataDir: config.dataDir,
    clientId: config.mallClientId,
    activity: config.simulator.activity,
    activityIntervalMs: config.simulator.activityIntervalMs,
    webhookUrl: config.simulator.webhookUrl,
    webhookIntervalMs: config.simulator.webhookIntervalMs,
    seed: config.simulator.seed,
  }
}
