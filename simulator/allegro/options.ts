import { DEFAULT_SEED } from './seed.ts'

export interface AllegroSimulatorOptions {
  /** Folder of the simulator's own SQLite file; null keeps everything in memory. */
  dataDir: string | null
  /** The registered application's credentials (HTTP Basic on the OAuth endpoints). */
  clientId: string
  clientSecret: string
  /** The seller's account id (`seller.id` in events) and login. */
  sellerId: string
  seed: number
  clock: () => number
  /** Seconds a device code lives, and the polling interval it asks for (Allegro: 3600 and 5). */
  deviceCodeTtlSeconds: number
  deviceInterval: number
  /** Access token lifetime (Allegro: 43199 s, 12 h) and refresh token lifetime (3 months). */
  accessTokenTtlSeconds: number
  refreshTokenTtlSeconds: number
  /** How long a rotated-away refresh token (and its access token) still work (Allegro: 60 s). */
  refreshGraceSeconds: number
  /** Requests a minute per client id before a block (Allegro: 9000). */
  rateLimitPerMinute: number
  /** How long a rate-limit block lasts (Allegro: one minute). */
  rateLimitBlockSeconds: number
  /** How long a "Wysyłam z Allegro" create command stays IN_PROGRESS. */
  commandDelayMs: number
  /** A waybill may be added to at most this many orders; one more is a 409 (inferred). */
  waybillMaxOrders: number
  /** The seller's setting "adding a waybill sets SENT" (off by default, as in the seller's panel). */
  waybillSetsSent: boolean
  /** Days after the purchase the buyer may still cancel (2020 news). */
  buyerCancelDays: number
  /**
   * Where a seller's phone opens the approval page: `{verificationBase}/skojarz-aplikacje`. Null
   * builds it from the address the device flow was asked on (the station asks over loopback, which
   * a phone cannot open, so the station's wiring sets its LAN address here).
   */
  verificationBase: string | null
  /** Whether buyers act by themselves (new orders, payments, cancellations), for a lively demo. */
  activity: boolean
  activityIntervalMs: number
  /** Where the simulator's diagnostics go. */
  warn: (message: string) => void
}

export const ALLEGRO_SIMULATOR_DEFAULTS: Omit<AllegroSimulatorOptions, 'dataDir'> = {
  clientId: 'demo-client-id',
  clientSecret: 'demo-client-secret',
  sellerId: '44556677',
  seed: DEFAULT_SEED,
  clock: Date.now,
  deviceCodeTtlSeconds: 3600,
  deviceInterval: 5,
  accessTokenTtlSeconds: 43_199,
  refreshTokenTtlSeconds: 90 * 24 * 3600,
  refreshGraceSeconds: 60,
  rateLimitPerMinute: 9000,
  rateLimitBlockSeconds: 60,
  commandDelayMs: 1000,
  waybillMaxOrders: 3,
  waybillSetsSent: false,
  buyerCancelDays: 3,
  verificationBase: null,
  activity: false,
  activityIntervalMs: 20_000,
  warn: (message) => console.warn(message),
}
