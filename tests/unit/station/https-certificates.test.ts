import 'reflect-metadata'
import * as x509 from '@peculiar/x509'
import { X509Certificate } from 'node:crypto'
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import type { networkInterfaces } from 'node:os'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../../server/config.ts'
import {
  ensureStationCertificate,
  loadOwnCertificate,
  RENEW_DAYS_BEFORE,
  SERVER_CERT_DAYS,
  TlsError,
  tlsDir,
} from '../../../server/https/certificates.ts'
import { isLoopbackAddress, isLoopbackHost, stationNames, type StationNames } from '../../../server/https/names.ts'
import { isSetupOrigin, plainHttpRoute } from '../../../server/https/setup.ts'

const DAY = 86_400_000

type Interfaces = ReturnType<typeof networkInterfaces>
const net = (address: string, family: 'IPv4' | 'IPv6', internal = false) =>
  ({ address, family, internal, netmask: '', mac: '00:00:00:00:00:00', cidr: null, scopeid: family === 'IPv6' ? 0 : undefined }) as Interfaces[string] extends (infer T)[] | undefined ? T : never

const WAREHOUSE: Interfaces = {
  lo: [net('127.0.0.1', 'IPv4', true), net('::1', 'IPv6', true)],
  eth0: [net('192.168.10.5', 'IPv4'), net('fd12:3456::5', 'IPv6'), net('fe80::1234:5678', 'IPv6')],
  wlan0: [net('10.20.0.7', 'IPv4')],
}

const folders: string[] = []
function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'station-tls-'))
  folders.push(dir)
  return dir
}
afterEach(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true })
})

const read = (dir: string, file: string) => readFileSync(join(tlsDir(dir), file), 'utf8')

describe("the station's names", () => {
  it('are every address of the machine, its host name, NAME.local, localhost and the extra names', () => {
    const names = stationNames(['Station.Warehouse.test', '203.0.113.9'], WAREHOUSE, 'Picker-01')
    expect(names.dns).toEqual(['localhost', 'picker-01', 'picker-01.local', 'station.warehouse.test'])
    // Link-local IPv6 needs a zone no address bar takes: left out.
    expect(names.ips).toEqual(['10.20.0.7', '127.0.0.1', '192.168.10.5', '203.0.113.9', '::1', 'fd12:3456::5'])
  })

  it('takes a host name with its domain as it is', () => {
    expect(stationNames([], {}, 'station.example.lan').dns).toEqual(['localhost', 'station.example.lan'])
  })

  it('tell loopback clients and loopback host names', () => {
    for (const address of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1']) expect(isLoopbackAddress(address), address).toBe(true)
    for (const address of ['192.168.10.5', '::ffff:192.168.10.5', 'fd12::1', '', undefined, 'localhost']) expect(isLoopbackAddress(address), String(address)).toBe(false)
    for (const host of ['localhost', 'localhost:8080', '127.0.0.1:8080', '[::1]:8080', 'app.localhost']) expect(isLoopbackHost(host), host).toBe(true)
    for (const host of ['192.168.10.5:8080', 'station.warehouse.test', 'localhost.evil.test', '127.0.0.1.nip.io', 'a@localhost', '', undefined]) {
      expect(isLoopbackHost(host), String(host)).toBe(false)
    }
  })
})

describe("the station's own certificate", () => {
  const names: StationNames = stationNames(['station.warehouse.test'], WAREHOUSE, 'picker-01')

  it('is made at first start: a CA, and a server certificate it signs for every name and address', async () => {
    const dir = dataDir()
    const now = new Date('2026-03-01T08:00:00Z')
    const { material, renewed } = await ensureStationCertificate(dir, names, now)
    expect(renewed).toBe('created')
    expect(material.source).toBe('station')

    const ca = new x509.X509Certificate(read(dir, 'ca.crt'))
    const caConstraints = ca.getExtension(x509.BasicConstraintsExtension)
    expect(caConstraints?.ca).toBe(true)
    expect(caConstraints?.critical).toBe(true)
    expect(caConstraints?.pathLength).toBe(0)
    const caUsage = ca.getExtension(x509.KeyUsagesExtension)
    expect(caUsage?.usages).toBe(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign)
    expect(ca.subject).toMatch(/CN=Picking station CA/)

    const server = new x509.X509Certificate(read(dir, 'server.crt'))
    expect(server.getExtension(x509.BasicConstraintsExtension)?.ca).toBe(false)
    expect(server.getExtension(x509.ExtendedKeyUsageExtension)?.usages).toEqual([x509.ExtendedKeyUsage.serverAuth])
    const san = server.getExtension(x509.SubjectAlternativeNameExtension)?.names.toJSON() ?? []
    expect(san.filter((n) => n.type === 'dns').map((n) => n.value)).toEqual(['localhost', 'picker-01', 'picker-01.local', 'station.warehouse.test'])
    expect(material.names).toEqual(names)
    expect(material.names.ips).toEqual(expect.arrayContaining(['127.0.0.1', '::1', '192.168.10.5', '10.20.0.7', 'fd12:3456::5']))

    // Signed by the CA, and valid for no longer than browsers accept (398 days), from a day early.
    const node = new X509Certificate(read(dir, 'server.crt'))
    const nodeCa = new X509Certificate(read(dir, 'ca.crt'))
    expect(node.checkIssued(nodeCa)).toBe(true)
    expect(node.verify(nodeCa.publicKey)).toBe(true)
    const validity = new Date(node.validTo).getTime() - new Date(node.validFrom).getTime()
    expect(validity).toBeLessThanOrEqual(SERVER_CERT_DAYS * DAY)
    expect(new Date(node.validFrom).getTime()).toBeLessThan(now.getTime())
    expect(material.ca?.fingerprint).toBe(nodeCa.fingerprint256)
    expect(material.ca?.der.equals(Buffer.from(nodeCa.raw))).toBe(true)

    // Keys for the station's eyes only.
    for (const file of ['ca.key', 'server.key']) expect(statSync(join(tlsDir(dir), file)).mode & 0o777, file).toBe(0o600)
    expect(statSync(tlsDir(dir)).mode & 0o077).toBe(0)
  })

  it('is kept while valid for more than 30 days and the names are the same (or fewer)', async () => {
    const dir = dataDir()
    const now = new Date('2026-03-01T08:00:00Z')
    await ensureStationCertificate(dir, names, now)
    const before = read(dir, 'server.crt')
    const later = new Date(now.getTime() + (SERVER_CERT_DAYS - RENEW_DAYS_BEFORE - 5) * DAY)
    expect((await ensureStationCertificate(dir, names, later)).renewed).toBeNull()
    // An interface that is down for a while changes nothing.
    const fewer = { dns: names.dns, ips: names.ips.filter((ip) => ip !== '10.20.0.7') }
    expect((await ensureStationCertificate(dir, fewer, later)).renewed).toBeNull()
    expect(read(dir, 'server.crt')).toBe(before)
  })

  it('is made again by the same CA when fewer than 30 days are left', async () => {
    const dir = dataDir()
    const now = new Date('2026-03-01T08:00:00Z')
    const first = await ensureStationCertificate(dir, names, now)
    const nearExpiry = new Date(now.getTime() + (SERVER_CERT_DAYS - RENEW_DAYS_BEFORE + 2) * DAY)
    const second = await ensureStationCertificate(dir, names, nearExpiry)
    expect(second.renewed).toBe('expiring')
    expect(second.material.notAfter.getTime()).toBeGreaterThan(first.material.notAfter.getTime())
    // The tablets trust the CA, which stays.
    expect(second.material.ca?.fingerprint).toBe(first.material.ca?.fingerprint)
    expect(new X509Certificate(read(dir, 'server.crt')).checkIssued(new X509Certificate(read(dir, 'ca.crt')))).toBe(true)
  })

  it('is made again when the machine has a new address or name', async () => {
    const dir = dataDir()
    const now = new Date('2026-03-01T08:00:00Z')
    const first = await ensureStationCertificate(dir, names, now)
    const moved = stationNames(['station.warehouse.test'], { ...WAREHOUSE, eth0: [net('192.168.20.44', 'IPv4')] }, 'picker-01')
    const second = await ensureStationCertificate(dir, moved, new Date(now.getTime() + DAY))
    expect(second.renewed).toBe('names')
    expect(second.material.names.ips).toContain('192.168.20.44')
    expect(second.material.ca?.fingerprint).toBe(first.material.ca?.fingerprint)
    const renamed = stationNames(['station.warehouse.test', 'packing.warehouse.test'], { ...WAREHOUSE, eth0: [net('192.168.20.44', 'IPv4')] }, 'picker-01')
    expect((await ensureStationCertificate(dir, renamed, new Date(now.getTime() + DAY))).renewed).toBe('names')
    expect(new x509.X509Certificate(read(dir, 'server.crt')).getExtension(x509.SubjectAlternativeNameExtension)?.names.toJSON()).toContainEqual({
      type: 'dns',
      value: 'packing.warehouse.test',
    })
  })

  it('is made again when unreadable or not signed by the CA on disk', async () => {
    const dir = dataDir()
    await ensureStationCertificate(dir, names)
    writeFileSync(join(tlsDir(dir), 'server.crt'), 'not a certificate')
    expect((await ensureStationCertificate(dir, names)).renewed).toBe('unreadable')
    // A CA made anew (its files were lost): the old server certificate is not its.
    rmSync(join(tlsDir(dir), 'ca.key'))
    const again = await ensureStationCertificate(dir, names)
    expect(again.renewed).toBe('issuer')
    expect(new X509Certificate(read(dir, 'server.crt')).checkIssued(new X509Certificate(read(dir, 'ca.crt')))).toBe(true)
  })
})

describe('a certificate of your own (TLS_CERT, TLS_KEY)', () => {
  async function ownPair() {
    const dir = dataDir()
    await ensureStationCertificate(dir, stationNames(['picking.example.com'], {}, 'picker-01'))
    const cert = join(dir, 'company.pem')
    const key = join(dir, 'company.key')
    copyFileSync(join(tlsDir(dir), 'server.crt'), cert)
    copyFileSync(join(tlsDir(dir), 'server.key'), key)
    return { dir, cert, key }
  }

  it('is served as it is, with no CA to hand out', async () => {
    const { cert, key } = await ownPair()
    const material = loadOwnCertificate(cert, key)
    expect(material.source).toBe('own')
    expect(material.ca).toBeNull()
    expect(material.cert).toBe(readFileSync(cert, 'utf8'))
    expect(material.names.dns).toContain('picking.example.com')
  })

  it('stops the start with a sentence when the files are missing, not PEM or not a pair', async () => {
    const { dir, cert, key } = await ownPair()
    expect(() => loadOwnCertificate(join(dir, 'nope.pem'), key)).toThrow(TlsError)
    expect(() => loadOwnCertificate(join(dir, 'nope.pem'), key)).toThrow(/TLS_CERT: cannot read/)
    writeFileSync(join(dir, 'garbage.pem'), 'hello')
    expect(() => loadOwnCertificate(join(dir, 'garbage.pem'), key)).toThrow(/TLS_CERT: .* holds no PEM certificate/)
    expect(() => loadOwnCertificate(cert, join(dir, 'garbage.pem'))).toThrow(/TLS_KEY: .* holds no private key/)
    expect(() => loadOwnCertificate(cert, join(tlsDir(dir), 'ca.key'))).toThrow(/TLS_CERT and TLS_KEY do not go together/)
  })

  it('is configured as a pair; HTTPS_PORT differs from PORT; TLS_HOSTNAMES takes names and addresses', () => {
    expect(() => loadConfig({ TLS_CERT: '/etc/ssl/station.pem' })).toThrow(ConfigError)
    expect(() => loadConfig({ TLS_CERT: '/etc/ssl/station.pem' })).toThrow(/TLS_KEY/)
    expect(() => loadConfig({ PORT: '8443' })).toThrow(/HTTPS_PORT: must differ from PORT/)
    expect(() => loadConfig({ TLS_HOSTNAMES: 'good.example, bad name' })).toThrow(/TLS_HOSTNAMES: not a host name or IP address: bad name/)
    const config = loadConfig({ TLS_CERT: 'a.pem', TLS_KEY: 'a.key', TLS_HOSTNAMES: 'station.warehouse.lan, 10.0.0.9' })
    expect(config.httpsPort).toBe(8443)
    expect(config.tls.certFile).toMatch(/[\\/]a\.pem$/)
    expect(config.tls.hostnames).toEqual(['station.warehouse.lan', '10.0.0.9'])
    expect(loadConfig({}).tls).toEqual({ certFile: null, keyFile: null, hostnames: [] })
  })
})

describe('the plain-HTTP port', () => {
  const lan = { remoteAddress: '192.168.10.23', host: '192.168.10.5:8080' }
  const local = { remoteAddress: '127.0.0.1', host: 'localhost:8080' }

  it('sends every other device to the setup page, whatever it asks', () => {
    for (const [method, path] of [
      ['GET', '/'],
      ['GET', '/orders/123'],
      ['POST', '/api/session'],
      ['GET', '/api/orders'],
      ['GET', '/media/products/a.jpg'],
      ['GET', '/mall/v1/orders'],
      ['GET', '/sw.js'],
    ] as const) {
      expect(plainHttpRoute({ method, path, ...lan }), `${method} ${path}`).toBe('redirect')
    }
    for (const path of ['/setup', '/setup/ca.crt', '/setup/picking-station.mobileconfig', '/setup/setup.js']) {
      expect(plainHttpRoute({ method: 'GET', path, ...lan }), path).toBe('setup')
    }
  })

  it("serves everything to the station's own machine, by a loopback name only", () => {
    expect(plainHttpRoute({ method: 'GET', path: '/', ...local })).toBe('station')
    expect(plainHttpRoute({ method: 'POST', path: '/api/session', remoteAddress: '::1', host: '[::1]:8080' })).toBe('station')
    expect(plainHttpRoute({ method: 'GET', path: '/mall/v1/orders', remoteAddress: '::ffff:127.0.0.1', host: '127.0.0.1:8080' })).toBe('station')
    // A page that rebinds its own name to 127.0.0.1 keeps that name in Host.
    expect(plainHttpRoute({ method: 'GET', path: '/api/orders', remoteAddress: '127.0.0.1', host: 'rebind.evil.test:8080' })).toBe('redirect')
    // Another device naming localhost is still another device.
    expect(plainHttpRoute({ method: 'GET', path: '/', remoteAddress: '192.168.10.23', host: 'localhost:8080' })).toBe('redirect')
  })

  it("lets the marketplace's webhook in from anywhere (MALL cannot trust a local CA)", () => {
    expect(plainHttpRoute({ method: 'POST', path: '/api/marketplace/webhook', ...lan })).toBe('station')
    expect(plainHttpRoute({ method: 'GET', path: '/api/marketplace/webhook', ...lan })).toBe('redirect')
  })

  it('lets setup pages (any host, the HTTP port) read the HTTPS health check', () => {
    expect(isSetupOrigin('http://192.168.10.5:8080', 8080)).toBe(true)
    expect(isSetupOrigin('http://station.warehouse.test:8080', 8080)).toBe(true)
    expect(isSetupOrigin('http://station.warehouse.test', 80)).toBe(true)
    expect(isSetupOrigin('https://192.168.10.5:8080', 8080)).toBe(false)
    expect(isSetupOrigin('http://192.168.10.5:9999', 8080)).toBe(false)
    expect(isSetupOrigin('null', 8080)).toBe(false)
    expect(isSetupOrigin(undefined, 8080)).toBe(false)
  })
})
