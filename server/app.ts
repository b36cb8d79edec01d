import { existsSync } from 'node:fs'
import { join } from 'node:path'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance } from 'fastify'
import { EventHub } from './api/events.ts'
import { registerApi } from './api/register-api.ts'
import { isDemo, simulatorSettings, type StationConfig } from './config.ts'
import { createHttpServer } from './http.ts'
import type { TlsMaterial } from './https/certificates.ts'
import { prepareHttps } from './https/serve.ts'
import { syncCatalogue, type WarehouseProductData } from './marketplace/catalogue.ts'
import { AllegroMarketplace } from './marketplace/allegro/allegro.ts'
import { MallClient } from './marketplace/mall/client.ts'
import { Connector } from './marketplace/connector.ts'
import { OutboxForwarder } from './marketplace/forwarder.ts'
import type { Marketplace } from './marketplace/marketplace.ts'
import { webhookPath, webhookSecret } from './marketplace/webhook-secret.ts'
import { StatusChanges } from './orders/status-changes.ts'
import { PhotoCache } from './photos.ts'
import { DemoPrinter } from './printing/demo-printer.ts'
import { AllegroSimulator } from '../simulator/allegro/marketplace.ts'
import { registerAllegroSimulator } from '../simulator/allegro/routes.ts'
import { badAddressAnswer as allegroBadAddress } from '../simulator/allegro/server.ts'
import { MarketplaceSimulator } from '../simulator/mall/marketplace.ts'
import { registerMarketplaceSimulator } from '../simulator/mall/routes.ts'
import { badAddressAnswer } from '../simulator/mall/server.ts'
import { AuditLog } from './store/audit.ts'
import { openDatabase, type StationDatabase } from './store/database.ts'
import { LabelStore } from './store/labels.ts'
import { OrderRepository } from './store/orders.ts'
import { Outbox } from './store/outbox.ts'
import { ProductRepository } from './store/products.ts'
import { SettingsStore } from './store/settings.ts'
import { ImportStore } from './store/imports.ts'
import { IdempotencyStore, UserStore } from './store/users.ts'

/** The demo sign-ins, seeded in demo mode and shown in the README. */
export const DEMO_USERS = [
  { name: 'picker', display_name: 'Demo picker', role: 'picker', pin: '1111' },
  { name: 'lead', display_name: 'Demo team lead', role: 'lead', pin: '2222' },
] as const

export interface Station {
  app: FastifyInstance
  config: StationConfig
  db: StationDatabase
  /** The simulated marketplace, in demo mode. */
  simulator: MarketplaceSimulator | null
  /** The simulated Allegro, in demo-allegro mode. */
  allegroSimulator: AllegroSimulator | null
  connector: Connector
  forwarder: OutboxForwarder
  orders: OrderRepository
  settings: SettingsStore
  /** The demo's label printer (demo mode without `PRINTERS`), listening once the station does. */
  demoPrinter: DemoPrinter | null
  /**
   * Listens (plain HTTP on `PORT`, HTTPS on `HTTPS_PORT`), then starts talking to the
   * marketplace; resolves to the plain-HTTP address (`http://localhost:PORT` works on this machine).
   */
  listen(): Promise<string>
  /** The HTTPS address (`https://HOST:PORT`) once listening, else null. */
  httpsAddress(): string | null
  /** The certificate HTTPS serves now: the station's own (with its CA) or `TLS_CERT`'s. */
  tls(): TlsMaterial
  /** Checks the certificate now, as the station does every hour; true when HTTPS took a new one. */
  checkTls(): Promise<boolean>
  close(): Promise<void>
}

export interface StationOptions {
  /** Folder of the built PWA; `dist` by default. */
  distDir?: string
  /** Where the one-line request log goes; silent when null. */
  logLine?: ((line: string) => void) | null
  /** Diagnostics of the background work (marketplace failures). */
  warn?: (message: string) => void
  clock?: () => number
  /** Outbox retry timing, shortened by tests. */
  backoff?: { baseDelayMs: number; maxDelayMs: number }
  /** How long the station waits for the marketplace to answer. */
  marketplaceTimeoutMs?: number
  /** Allegro's timings, shortened by tests: its 429 block when Allegro does not say (a minute), how often parcels' tracking is read (10 minutes). */
  allegro?: { rateLimitBlockMs?: number; trackingIntervalMs?: number }
  /** How long connecting to a label printer and sending it a job may take; 5 s by default. */
  printTimeoutMs?: number
}

/**
 * The station server: the station API (`/api`), the marketplace connector and outbox, the built
 * PWA and, in demo mode, the marketplace simulator at `/mall`, all on HTTPS for the tablets and on
 * plain HTTP for this machine, where other devices get the setup page (server/https).
 */
export async function createStation(config: StationConfig, options: StationOptions = {}): Promise<Station> {
  const clock = options.clock ?? Date.now
  const warn = options.warn ?? ((message: string) => console.warn(message))
  // The demo marketplaces keep their error bodies under /mall and /allegro, even for URLs the router rejects.
  const app = createHttpServer({
    mounted: [
      { prefix: '/mall/', answer: badAddressAnswer },
      { prefix: '/allegro/', answer: allegroBadAddress },
    ],
  })
  const logLine = options.logLine === undefined ? (line: string) => console.log(line) : options.logLine
  if (logLine) {
    // One line per request: enough to follow a tablet's conversation without drowning in JSON.
    app.addHook('onResponse', async (request, reply) => {
      const url = request.url.replace(/(client_id|access_token|secret)=[^&]*/g, '$1=…')
      logLine(`${new Date().toISOString()} ${request.method} ${url} ${reply.statusCode} ${reply.elapsedTime.toFixed(1)}ms`)
    })
  }
  // Before any route: plain HTTP is the setup page (and the whole station for this machine only).
  let httpPort = config.port
  const https = await prepareHttps(app, config, { warn, httpPort: () => httpPort })

  let simulator: MarketplaceSimulator | null = null
  if (config.marketplace === 'demo') {
    simulator = new MarketplaceSimulator({ ...simulatorSettings(config), warn })
    await registerMarketplaceSimulator(app, simulator, '/mall', { controlFrom: config.simulator.control })
  }

  let allegroSimulator: AllegroSimulator | null = null
  if (config.marketplace === 'demo-allegro') {
    allegroSimulator = new AllegroSimulator({
      dataDir: config.dataDir,
      clientId: config.allegro.clientId,
      clientSecret: config.allegro.clientSecret,
      seed: config.simulator.seed,
      activity: config.simulator.activity,
      activityIntervalMs: config.simulator.activityIntervalMs,
      warn,
    })
    await registerAllegroSimulator(app, allegroSimulator, '/allegro', { controlFrom: config.simulator.control })
  }

  const db = openDatabase(join(config.dataDir, 'station.sqlite'))
  const audit = new AuditLog(db, clock)
  const orders = new OrderRepository(db, clock, audit)
  const products = new ProductRepository(db, clock)
  const outbox = new Outbox(db, clock)
  const labels = new LabelStore(db, clock)
  const users = new UserStore(db, clock)
  const idempotency = new IdempotencyStore(db, clock)
  // Without printers of its own, the demo prints to files, so printing can be tried out.
  const demoPrinter = isDemo(config) && !config.printers ? new DemoPrinter(join(config.dataDir, 'printed'), clock, warn) : null
  const settings = new SettingsStore(db, clock, { ownPrinters: () => (demoPrinter?.printer ? [demoPrinter.printer] : []), timeZone: config.timeZone })
  if (config.printers) settings.update({ printers: config.printers })
  if (isDemo(config) && users.count() === 0) {
    for (const user of DEMO_USERS) await users.addUser(user.name, user.display_name, user.role, user.pin)
  }
  const events = new EventHub({ orders: () => orders.latestSeq(), products: () => products.latestSeq() })
  const mall = config.marketplace === 'demo' || config.marketplace === 'mall' ? new MallClient({ baseUrl: config.mallApiUrl, clientId: config.mallClientId, timeoutMs: options.marketplaceTimeoutMs }) : null
  const allegro = mall
    ? null
    : new AllegroMarketplace({
        db,
        apiUrl: config.allegro.apiUrl,
        oauthUrl: config.allegro.oauthUrl,
        clientId: config.allegro.clientId,
        clientSecret: config.allegro.clientSecret,
        timeoutMs: options.marketplaceTimeoutMs,
        rateLimitBlockMs: options.allegro?.rateLimitBlockMs,
        trackingIntervalMs: options.allegro?.trackingIntervalMs,
        sender: () => settings.get().seller,
        clock,
        warn,
      })
  const client: Marketplace = mall ?? (allegro as AllegroMarketplace)
  // The demo's seller has connected the simulated account already; Settings can connect it again.
  if (allegro && allegroSimulator && allegro.account.state().status === 'not_connected') allegro.account.useTokens(allegroSimulator.issueTokens())
  let catalogueSoon: NodeJS.Timeout | undefined
  const onOrdersChanged = () => {
    events.notify('orders')
    if (client.catalogueFollowsOrders && !catalogueSoon) {
      // New orders may name products the catalogue lacks: read them shortly, once for a burst.
      catalogueSoon = setTimeout(() => {
        catalogueSoon = undefined
        if (!closing) void refreshCatalogue()
      }, 500)
      catalogueSoon.unref()
    }
  }
  const connector = new Connector({ db, client, orders, pollIntervalMs: config.pollIntervalMs, onChanged: onOrdersChanged, clock, warn })
  const forwarder = new OutboxForwarder({
    db,
    client,
    orders,
    outbox,
    audit,
    labels,
    onChanged: onOrdersChanged,
    clock,
    warn,
    ...options.backoff,
  })
  const changes = new StatusChanges({ db, orders, outbox, audit, labels, idempotency, clock })
  const photos = new PhotoCache(join(config.dataDir, 'photos'))
  await registerApi(app, {
    idempotency,
    db,
    mode: config.marketplace,
    users,
    orders,
    products,
    outbox,
    audit,
    labels,
    changes,
    events,
    connector,
    forwarder,
    client,
    photos,
    settings,
    imports: new ImportStore(db),
    placeTestOrder: simulator ? () => (simulator as MarketplaceSimulator).createOrder({ test: true }).id : null,
    printTimeoutMs: options.printTimeoutMs ?? 5000,
    clock,
  })
  await serveApp(app, options.distDir ?? join(process.cwd(), 'dist'))

  const warehouse = new Map<string, WarehouseProductData>(
    (simulator?.warehouseCatalogue() ?? []).map((p) => [p.sku, { sku: p.sku, barcodes: p.barcodes, case_barcodes: p.case_barcodes, bin_location: p.bin_location }]),
  )
  let catalogueTimer: NodeJS.Timeout | undefined
  let catalogueRetry: NodeJS.Timeout | undefined
  let catalogueFailures = 0
  let httpsAddress: string | null = null
  let closing = false
  const refreshCatalogue = async () => {
    clearTimeout(catalogueRetry)
    try {
      if ((await syncCatalogue({ db, client, products, warehouse })) > 0) events.notify('products')
      catalogueFailures = 0
    } catch (error) {
      if (closing) return
      // Without the catalogue the tablets have no barcodes or photos: try again soon, not at the
      // next periodic refresh.
      catalogueFailures++
      const wait = Math.min(5 * 60_000, 2000 * 2 ** Math.min(catalogueFailures - 1, 8))
      warn(`catalogue sync failed (${(error as Error).message}); trying again in ${Math.round(wait / 1000)} s`)
      catalogueRetry = setTimeout(() => void refreshCatalogue(), wait)
      catalogueRetry.unref()
    }
  }

  return {
    app,
    config,
    db,
    simulator,
    allegroSimulator,
    connector,
    forwarder,
    orders,
    settings,
    demoPrinter,
    httpsAddress: () => httpsAddress,
    tls: () => https.material(),
    checkTls: () => https.check(),
    async listen() {
      await demoPrinter?.listen()
      const address = await app.listen({ port: config.port, host: config.host })
      const port = new URL(address).port
      httpPort = Number(port)
      httpsAddress = await https.listen()
      if (config.marketplace === 'demo') {
        // The simulator is on this very port, known only now when the port was 0.
        mall?.setBaseUrl(config.mallApiUrl.replace(/:\d+\/mall$/, `:${port}/mall`))
        // As a seller pastes it into the MALL portal: the address with the station's secret.
        if (!config.simulator.webhookUrl) simulator?.setWebhook(`http://127.0.0.1:${port}${webhookPath(webhookSecret(db))}`)
      }
      if (config.marketplace === 'demo-allegro') allegro?.setHosts({ apiUrl: `http://127.0.0.1:${port}/allegro`, oauthUrl: `http://127.0.0.1:${port}/allegro` })
      connector.start()
      forwarder.kick()
      void refreshCatalogue()
      catalogueTimer = setInterval(() => void refreshCatalogue(), Math.max(config.pollIntervalMs * 10, 10 * 60_000))
      catalogueTimer.unref()
      return address
    },
    async close() {
      closing = true
      clearTimeout(catalogueSoon)
      clearInterval(catalogueTimer)
      clearTimeout(catalogueRetry)
      events.close()
      client.close?.()
      await connector.stop()
      await forwarder.stop()
      await https.close()
      await app.close()
      await simulator?.close()
      await allegroSimulator?.close()
      await demoPrinter?.close()
      db.close()
    },
  }
}

/** The built PWA: the shell is never cached stale, hashed assets are cached for good. */
async function serveApp(app: FastifyInstance, distDir: string): Promise<void> {
  const built = existsSync(join(distDir, 'index.html'))
  if (built) {
    await app.register(fastifyStatic, {
      root: distDir,
      wildcard: false,
      index: ['index.html'],
      cacheControl: false,
      setHeaders(res, path) {
        if (/[\\/]assets[\\/]/.test(path)) res.setHeader('cache-control', 'public, max-age=31536000, immutable')
        else res.setHeader('cache-control', 'no-cache')
      },
    })
  }
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/'
    if (request.method === 'GET' && built && !/\.[a-z0-9]+$/i.test(path) && !path.startsWith('/media/')) {
      // A deep link (/orders/123) opens the app, which routes on the device.
      return reply.header('cache-control', 'no-cache').sendFile('index.html')
    }
    if (!built && path === '/') {
      return reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send('The picking app is not built yet: run `npm run build` (npm start does it for you), then reload.')
    }
    return reply.code(404).type('text/plain; charset=utf-8').send(`Not found: ${path}`)
  })
}
