import { X509Certificate } from 'node:crypto'
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import type { TLSSocket } from 'node:tls'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureStationCertificate, tlsDir } from '../../../server/https/certificates.ts'
import { stationNames } from '../../../server/https/names.ts'
import { startStation, type RunningStation } from '../../support/station.ts'

/**
 * HTTPS on the warehouse network: the station's own CA and certificate, the same station over
 * HTTPS, and the plain-HTTP port that onboards devices (the setup page, the CA, a QR code) and
 * sends them there from anywhere else, while this machine keeps using http://localhost.
 */

interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: Buffer
  text: string
  /** The server certificate, over HTTPS. */
  peer?: X509Certificate
}

function call(url: string, options: { method?: string; headers?: Record<string, string>; ca?: string | Buffer; body?: string; servername?: string } = {}): Promise<Answer> {
  const target = new URL(url)
  const secure = target.protocol === 'https:'
  return new Promise((resolve, reject) => {
    const req = (secure ? httpsRequest : httpRequest)(
      {
        host: target.hostname.replace(/^\[|\]$/g, ''),
        port: target.port,
        path: target.pathname + target.search,
        method: options.method ?? 'GET',
        headers: options.headers,
        ...(secure ? { ca: options.ca, servername: options.servername, agent: false } : { agent: false }),
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () => {
          const body = Buffer.concat(chunks)
          const raw = secure ? (res.socket as TLSSocket).getPeerX509Certificate?.() : undefined
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString('utf8'), peer: raw })
        })
      },
    )
    req.on('error', reject)
    req.end(options.body)
  })
}

let station: RunningStation
let ca: string
let httpPort: number
let httpsPort: number

beforeAll(async () => {
  station = await startStation({ env: { TLS_HOSTNAMES: 'station.warehouse.test' } })
  ca = readFileSync(join(tlsDir(station.dataDir), 'ca.crt'), 'utf8')
  httpPort = Number(new URL(station.origin).port)
  httpsPort = Number(new URL(station.httpsOrigin).port)
})
afterAll(async () => {
  await station?.close()
})

describe('the station over HTTPS', () => {
  it('serves the same station with a certificate of its own CA, for its names and addresses', async () => {
    expect(station.httpsOrigin).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
    const health = await call(`${station.httpsOrigin}/api/health`, { ca })
    expect(health.status).toBe(200)
    expect(JSON.parse(health.text).status).toBe('ok')
    // Verified against the CA, for the name a tablet uses (the extra name from TLS_HOSTNAMES).
    const named = await call(`${station.httpsOrigin}/api/health`, { ca, servername: 'station.warehouse.test', headers: { host: `station.warehouse.test:${httpsPort}` } })
    expect(named.status).toBe(200)
    expect(named.peer?.checkHost('station.warehouse.test')).toBe('station.warehouse.test')
    expect(named.peer?.checkIP('127.0.0.1')).toBe('127.0.0.1')
    expect(named.peer?.checkIssued(new X509Certificate(ca))).toBe(true)
    // The API, the simulator and sign-in answer any host over HTTPS.
    const signIn = await call(`${station.httpsOrigin}/api/session`, {
      ca,
      method: 'POST',
      headers: { 'content-type': 'application/json', host: `station.warehouse.test:${httpsPort}` },
      body: JSON.stringify({ user: 'picker', pin: '1111' }),
    })
    expect(signIn.status).toBe(200)
    expect(JSON.parse(signIn.text).token).toEqual(expect.any(String))
    const mall = await call(`${station.httpsOrigin}/mall/v1/orders?client_id=demo`, { ca, headers: { host: `station.warehouse.test:${httpsPort}` } })
    expect(mall.status).toBe(200)
  })

  it('is refused by a client that does not trust the CA', async () => {
    await expect(call(`${station.httpsOrigin}/api/health`)).rejects.toThrow(/self-signed|unable to (get|verify)/i)
  })

  it("answers the setup page's trust check with CORS, and no other origin", async () => {
    const origin = `http://station.warehouse.test:${httpPort}`
    const allowed = await call(`${station.httpsOrigin}/api/health`, { ca, headers: { origin } })
    expect(allowed.headers['access-control-allow-origin']).toBe(origin)
    expect(allowed.headers.vary).toMatch(/Origin/i)
    const other = await call(`${station.httpsOrigin}/api/health`, { ca, headers: { origin: 'http://evil.test' } })
    expect(other.headers['access-control-allow-origin']).toBeUndefined()
    const otherRoute = await call(`${station.httpsOrigin}/api/orders`, { ca, headers: { origin } })
    expect(otherRoute.headers['access-control-allow-origin']).toBeUndefined()
  })

  it('takes a new certificate while running: the renewed one is served to new connections', async () => {
    const before = (await call(`${station.httpsOrigin}/api/health`, { ca })).peer
    expect(await station.station.checkTls()).toBe(false)
    // The machine gets a new name: the check (hourly) makes a new certificate and serves it.
    station.station.config.tls.hostnames.push('packing.warehouse.test')
    try {
      expect(await station.station.checkTls()).toBe(true)
      const after = await call(`${station.httpsOrigin}/api/health`, { ca, servername: 'packing.warehouse.test' })
      expect(after.peer?.fingerprint256).not.toBe(before?.fingerprint256)
      expect(after.peer?.checkHost('packing.warehouse.test')).toBe('packing.warehouse.test')
      expect(station.station.tls().names.dns).toContain('packing.warehouse.test')
    } finally {
      station.station.config.tls.hostnames.pop()
    }
  })
})

describe('the plain-HTTP port', () => {
  it('keeps the whole station for this machine (loopback, by a loopback name)', async () => {
    expect((await call(`${station.origin}/api/health`)).status).toBe(200)
    expect((await call(`${station.origin}/api/health`, { headers: { host: `localhost:${httpPort}` } })).status).toBe(200)
    expect((await station.mall('GET', '/v1/orders')).status).toBe(200)
  })

  it('sends other devices to the setup page, whatever they ask', async () => {
    for (const path of ['/', '/orders/1', '/api/health', '/api/orders', '/mall/v1/orders?client_id=demo']) {
      const answer = await call(`${station.origin}${path}`, { headers: { host: `station.warehouse.test:${httpPort}` } })
      expect(answer.status, path).toBe(302)
      expect(answer.headers.location, path).toBe('/setup')
    }
    const signIn = await call(`${station.origin}/api/session`, {
      method: 'POST',
      headers: { host: `192.168.10.5:${httpPort}`, 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'picker', pin: '1111' }),
    })
    expect(signIn.status).toBe(302)
    expect(signIn.text).not.toMatch(/token/)
  })

  it("lets the marketplace's webhook through", async () => {
    const answer = await call(`${station.origin}/api/marketplace/webhook`, {
      method: 'POST',
      headers: { host: `station.warehouse.test:${httpPort}`, 'content-type': 'application/json' },
      body: '[]',
    })
    expect(answer.status).not.toBe(302)
  })

  it('serves the setup page: the CA, the iPad profile, a QR code of the HTTPS address, the steps, the trust check', async () => {
    const host = `station.warehouse.test:${httpPort}`
    const page = await call(`${station.origin}/setup`, { headers: { host } })
    expect(page.status).toBe(200)
    expect(page.headers['content-type']).toMatch(/^text\/html/)
    const appUrl = `https://station.warehouse.test:${httpsPort}/`
    expect(page.text).toContain(`href="${appUrl}"`)
    expect(page.text).toContain(`data-check="${appUrl}api/health"`)
    expect(page.text).toContain('href="/setup/ca.crt"')
    expect(page.text).toContain('href="/setup/picking-station.mobileconfig"')
    for (const platform of ['Android', 'iPad', 'Windows']) expect(page.text).toContain(platform)
    expect(page.text).toMatch(new RegExp(`<svg[^>]+aria-label="QR code of ${appUrl.replace(/[.]/g, '\\.')}"`))
    // No inline script: its one script is a file, and the policy lets it reach the HTTPS port only.
    expect(page.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/)
    const csp = String(page.headers['content-security-policy'])
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain(`connect-src https://station.warehouse.test:${httpsPort}`)
    const script = await call(`${station.origin}/setup/setup.js`, { headers: { host } })
    expect(script.status).toBe(200)
    expect(script.headers['content-type']).toMatch(/javascript/)
    expect(script.text).toContain("mode: 'cors'")

    const der = await call(`${station.origin}/setup/ca.crt`, { headers: { host } })
    expect(der.status).toBe(200)
    expect(der.headers['content-type']).toBe('application/x-x509-ca-cert')
    expect(der.body.equals(Buffer.from(new X509Certificate(ca).raw))).toBe(true)
    expect(new X509Certificate(der.body).ca).toBe(true)

    const profile = await call(`${station.origin}/setup/picking-station.mobileconfig`, { headers: { host } })
    expect(profile.status).toBe(200)
    expect(profile.headers['content-type']).toBe('application/x-apple-aspen-config')
    expect(profile.text).toContain('<string>com.apple.security.root</string>')
    expect(profile.text).toContain(`<data>${der.body.toString('base64')}</data>`)
  })

  it('speaks the browser’s language on the setup page (Accept-Language), English otherwise', async () => {
    const host = `station.warehouse.test:${httpPort}`
    const czech = await call(`${station.origin}/setup`, { headers: { host, 'accept-language': 'de-DE,cs-CZ;q=0.9,en;q=0.8' } })
    expect(czech.headers.vary).toMatch(/Accept-Language/i)
    expect(czech.text).toContain('<html lang="cs">')
    expect(czech.text).toContain('<h1>Nastavte toto zařízení pro vychystávací stanici</h1>')
    expect(czech.text).toContain('Stáhnout certifikát stanice')
    expect(czech.text).toContain('data-trusted="Toto zařízení stanici důvěřuje."')
    const polish = await call(`${station.origin}/setup`, { headers: { host, 'accept-language': 'pl' } })
    expect(polish.text).toContain('<h1>Skonfiguruj to urządzenie dla stanowiska kompletacji</h1>')
    const german = await call(`${station.origin}/setup`, { headers: { host, 'accept-language': 'de-DE' } })
    expect(german.text).toContain('<html lang="en">')
    expect(german.text).toContain('<h1>Set up this device for the picking station</h1>')
  })

  it('on this machine, shows the LAN addresses (a QR code to open the setup page on a tablet, one of the app)', async () => {
    const page = await call(`${station.origin}/setup`)
    expect(page.status).toBe(200)
    expect(page.text.match(/<svg/g)?.length).toBe(2)
    expect(page.text).toMatch(/QR code of http:\/\/[^"]+\/setup"/)
  })

  it('escapes what a Host header brings', async () => {
    const page = await call(`${station.origin}/setup`, { headers: { host: `a;b"<x>:${httpPort}` } })
    expect(page.text).not.toContain('<x>')
    expect(String(page.headers['content-security-policy'])).not.toMatch(/a;b/)
  })
})

describe('a certificate of your own (TLS_CERT, TLS_KEY)', () => {
  it('is served instead of the local CA, which the setup page then does not offer', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'own-cert-'))
    try {
      // A "company" certificate: made here by another CA, in another folder.
      await ensureStationCertificate(folder, stationNames(['picking.example.com'], {}, 'other'))
      const certFile = join(folder, 'company.pem')
      const keyFile = join(folder, 'company.key')
      copyFileSync(join(tlsDir(folder), 'server.crt'), certFile)
      copyFileSync(join(tlsDir(folder), 'server.key'), keyFile)
      const own = await startStation({ env: { TLS_CERT: certFile, TLS_KEY: keyFile } })
      try {
        const companyCa = readFileSync(join(tlsDir(folder), 'ca.crt'), 'utf8')
        const health = await call(`${own.httpsOrigin}/api/health`, { ca: companyCa, servername: 'picking.example.com' })
        expect(health.status).toBe(200)
        expect(health.peer?.fingerprint256).toBe(new X509Certificate(readFileSync(certFile)).fingerprint256)
        expect(own.station.tls().source).toBe('own')
        expect((await call(`${own.origin}/setup/ca.crt`)).status).toBe(404)
        const page = await call(`${own.origin}/setup`)
        expect(page.text).toContain("your organisation's certificate")
        expect(page.text).not.toContain('/setup/ca.crt')
      } finally {
        await own.close()
      }
    } finally {
      rmSync(folder, { recursive: true, force: true })
    }
  })
})
