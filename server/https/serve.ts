import { createServer, type Server } from 'node:https'
import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import type { StationConfig } from '../config.ts'
import { clientErrorHandler } from '../http.ts'
import { ensureStationCertificate, loadOwnCertificate, type TlsMaterial } from './certificates.ts'
import { lanAddresses, stationNames } from './names.ts'
import { isSetupOrigin, plainHttpRoute, registerSetup } from './setup.ts'

/**
 * The station's HTTPS: the same Fastify app (the PWA, `/api`, `/media`, `/mall` in demo mode) on a
 * second, TLS server (`HTTPS_PORT`), with the station's own certificate renewed while it runs, or
 * the warehouse's (`TLS_CERT`/`TLS_KEY`) read again when its files change. The plain-HTTP port
 * (`PORT`) keeps the setup page and, for the station's own machine, everything else.
 */

/** How often the certificate is checked for its remaining days and the machine's addresses. */
export const CERTIFICATE_CHECK_MS = 60 * 60_000

export interface StationHttps {
  /** The certificate served now. */
  material(): TlsMaterial
  /** Listens on HTTPS; resolves to `https://HOST:PORT`. */
  listen(): Promise<string>
  /** The HTTPS port, once listening. */
  port(): number | null
  /** Checks the certificate now (renewed, or read again); true when the server took a new one. */
  check(): Promise<boolean>
  close(): Promise<void>
}

export interface StationHttpsOptions {
  warn: (message: string) => void
  /** The plain-HTTP port, once the station listens. */
  httpPort(): number
}

/** Reads or makes the certificate (before the station listens: a bad TLS_CERT stops the start), and readies the app for HTTPS. */
export async function prepareHttps(app: FastifyInstance, config: StationConfig, options: StationHttpsOptions): Promise<StationHttps> {
  const load = async (): Promise<{ material: TlsMaterial; changed: boolean }> => {
    if (config.tls.certFile && config.tls.keyFile) {
      const next = loadOwnCertificate(config.tls.certFile, config.tls.keyFile)
      return { material: next, changed: next.cert !== material?.cert || next.key !== material?.key }
    }
    const { material: next, renewed } = await ensureStationCertificate(config.dataDir, stationNames(config.tls.hostnames))
    if (renewed && renewed !== 'created') options.warn(`HTTPS: made a new server certificate (${RENEWED[renewed]}), valid until ${next.notAfter.toISOString().slice(0, 10)}`)
    return { material: next, changed: renewed !== null || next.cert !== material?.cert }
  }
  let material: TlsMaterial | null = null
  material = (await load()).material
  const current = () => material as TlsMaterial

  let server: Server | null = null
  let timer: NodeJS.Timeout | undefined

  // Plain HTTP: the setup page for everyone, the station for its own machine, else a redirect.
  // HTTPS: the health check answers the setup page's trust check (CORS for that one route).
  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?')[0] ?? '/'
    const encrypted = (request.raw.socket as { encrypted?: boolean }).encrypted === true
    if (encrypted) {
      const origin = request.headers.origin
      if (path === '/api/health' && isSetupOrigin(origin, options.httpPort())) {
        reply.header('access-control-allow-origin', origin).header('vary', 'Origin')
      }
      return
    }
    const route = plainHttpRoute({ method: request.method, path, remoteAddress: request.socket.remoteAddress, host: request.headers.host })
    if (route !== 'redirect') return
    return reply
      .code(302)
      .header('location', '/setup')
      .header('cache-control', 'no-store')
      .type('text/plain; charset=utf-8')
      .send('The picking app runs over HTTPS: set this device up at /setup.')
  })
  await registerSetup(app, {
    material: current,
    ports: () => ({ http: options.httpPort(), https: server ? (server.address() as AddressInfo).port : config.httpsPort }),
    lanAddresses: () => lanAddresses(),
  })

  const service: StationHttps = {
    material: current,
    port: () => (server?.listening ? (server.address() as AddressInfo).port : null),
    async listen() {
      const tls = current()
      const https = createServer({ cert: tls.cert, key: tls.key }, (req, res) => app.routing(req, res))
      // As Fastify sets up its own server: long-lived event streams, keep-alive beyond proxies'.
      https.keepAliveTimeout = 72_000
      https.requestTimeout = 0
      https.on('clientError', clientErrorHandler)
      server = https
      await new Promise<void>((resolve, reject) => {
        https.once('error', reject)
        https.listen({ port: config.httpsPort, host: config.host }, () => {
          https.off('error', reject)
          resolve()
        })
      })
      timer = setInterval(() => {
        service.check().catch((error: unknown) => options.warn(`HTTPS: checking the certificate failed: ${(error as Error).message}`))
      }, CERTIFICATE_CHECK_MS)
      timer.unref()
      const address = https.address() as AddressInfo
      const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
      return `https://${host === '0.0.0.0' || host === '[::]' ? 'localhost' : host}:${address.port}`
    },
    async check() {
      const next = await load()
      material = next.material
      if (!next.changed || !server) return false
      // New connections get the new certificate; open ones keep theirs.
      server.setSecureContext({ cert: material.cert, key: material.key })
      return true
    },
    async close() {
      clearInterval(timer)
      const https = server
      server = null
      if (!https?.listening) return
      https.closeAllConnections()
      await new Promise<void>((resolve) => https.close(() => resolve()))
    },
  }
  return service
}

const RENEWED = {
  created: 'none yet',
  unreadable: 'the one on disk could not be read',
  expiring: 'the old one expires within 30 days',
  names: 'the machine has a name or address the old one lacked',
  issuer: 'the old one was not signed by this station',
} as const
