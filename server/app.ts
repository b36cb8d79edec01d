import { existsSync } from 'node:fs'
import { join } from 'node:path'
import fastifyStatic from '@fastify/static'
import Fastify, { type FastifyInstance } from 'fastify'
import type { StationConfig } from './config.ts'
import { MarketplaceSimulator } from './simulator/marketplace.ts'
import { registerMarketplaceSimulator } from './simulator/routes.ts'

export interface Station {
  app: FastifyInstance
  /** The simulated marketplace, in demo mode. */
  simulator: MarketplaceSimulator | null
  close(): Promise<void>
}

export interface StationOptions {
  /** Folder of the built PWA; `dist` by default. */
  distDir?: string
  /** Where the one-line request log goes; silent when null. */
  logLine?: ((line: string) => void) | null
}

const ONE_MIB = 1024 * 1024

/**
 * The station server: in demo mode it carries the marketplace simulator at `/mall` on its own
 * port, and it serves the built PWA. The station API (`/api`) grows on top of this.
 */
export async function createStation(config: StationConfig, options: StationOptions = {}): Promise<Station> {
  const app = Fastify({ logger: false, bodyLimit: ONE_MIB })
  const logLine = options.logLine === undefined ? (line: string) => console.log(line) : options.logLine

  if (logLine) {
    // One line per request: enough to follow a tablet's conversation without drowning in JSON.
    app.addHook('onResponse', async (request, reply) => {
      const url = request.url.replace(/client_id=[^&]*/, 'client_id=…')
      logLine(`${new Date().toISOString()} ${request.method} ${url} ${reply.statusCode} ${reply.elapsedTime.toFixed(1)}ms`)
    })
  }

  let simulator: MarketplaceSimulator | null = null
  if (config.marketplace === 'demo') {
    simulator = new MarketplaceSimulator({
      dataDir: config.dataDir,
      clientId: config.mallClientId,
      activity: config.simulator.activity,
      activityIntervalMs: config.simulator.activityIntervalMs,
      webhookUrl: config.simulator.webhookUrl,
      webhookIntervalMs: config.simulator.webhookIntervalMs,
      seed: config.simulator.seed,
    })
    await registerMarketplaceSimulator(app, simulator, '/mall')
  }

  app.get('/api/health', async () => ({
    status: 'ok',
    marketplace: config.marketplace,
  }))

  await serveApp(app, options.distDir ?? join(process.cwd(), 'dist'))

  return {
    app,
    simulator,
    async close() {
      await app.close()
      await simulator?.close()
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
    if (path.startsWith('/api/')) {
      return reply
        .code(404)
        .type('application/problem+json')
        .send({ type: 'about:blank', title: 'Not Found', status: 404, code: 'NOT_FOUND', detail: `There is no ${request.method} ${path}.` })
    }
    if (request.method === 'GET' && built && !/\.[a-z0-9]+$/i.test(path)) {
      // A deep link (/orders/123) opens the app, which routes on the device.
      return reply.header('cache-control', 'no-cache').sendFile('index.html')
    }
    if (!built) {
      return reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send('The picking app is not built yet: run `npm run build` (npm start does it for you), then reload.')
    }
    return reply.code(404).type('text/plain; charset=utf-8').send(`Not found: ${path}`)
  })
}
