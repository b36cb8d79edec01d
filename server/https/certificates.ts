// tsyringe, which @peculiar/x509 builds on, needs the Reflect metadata API before it loads.
import 'reflect-metadata'
import * as x509 from '@peculiar/x509'
import { createHash, createPrivateKey, randomBytes, webcrypto, X509Certificate as NodeCertificate } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { createSecureContext } from 'node:tls'
import { canonicalIp, type StationNames } from './names.ts'

/**
 * The station's HTTPS certificate. At first start the station makes a local certificate authority
 * (`DATA_DIR/tls/ca.crt`, `ca.key`), which each tablet trusts once (the setup page hands it out),
 * and a server certificate it signs (`server.crt`, `server.key`) for every name and address of
 * the machine. The server certificate lasts 397 days and is made again when fewer than 30 days
 * are left, when a name or address it lacks appears, or when it is not the CA's; the CA stays, so
 * the tablets need nothing new. A warehouse may bring its own certificate instead (`TLS_CERT`,
 * `TLS_KEY`): then there is no local CA.
 */

// The Web Crypto types of @peculiar/x509 are the DOM's; Node's webcrypto is the same API.
type X509Crypto = ReturnType<typeof x509.cryptoProvider.get>
type X509KeyPair = x509.X509CertificateCreateSelfSignedParams['keys']
type X509Key = X509KeyPair['privateKey']
x509.cryptoProvider.set(webcrypto as unknown as X509Crypto)

const DAY = 86_400_000
/** Apple and Chrome refuse server certificates valid for longer than 398 days. */
export const SERVER_CERT_DAYS = 397
/** The server certificate is made again when fewer days than this are left. */
export const RENEW_DAYS_BEFORE = 30
export const CA_CERT_DAYS = 3650
/** Validity starts a day early: a tablet whose clock lags must not see a certificate "not yet valid". */
const BACKDATE_MS = DAY

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const

export interface CertificateAuthority {
  pem: string
  der: Buffer
  /** The CA's subject, as a person sees it in the device's certificate list. */
  subject: string
  /** SHA-256 of the DER, upper-case hex pairs joined by colons, as devices show it. */
  fingerprint: string
  notAfter: Date
}

export interface TlsMaterial {
  /** `station`: made by the station's own CA; `own`: TLS_CERT/TLS_KEY. */
  source: 'station' | 'own'
  /** The server certificate (PEM, with its chain when TLS_CERT has one) and key (PEM). */
  cert: string
  key: string
  /** The local CA tablets install; null with a certificate of one's own. */
  ca: CertificateAuthority | null
  notAfter: Date
  /** The names and addresses the server certificate is valid for. */
  names: StationNames
  /** Base64 of the SHA-256 of the server certificate's public key (SubjectPublicKeyInfo). */
  spkiSha256: string
}

export type RenewalReason = 'created' | 'unreadable' | 'expiring' | 'names' | 'issuer'

export interface EnsureResult {
  material: TlsMaterial
  /** Why the server certificate was made now; null when the one on disk was kept. */
  renewed: RenewalReason | null
}

export class TlsError extends Error {}

export function tlsDir(dataDir: string): string {
  return join(dataDir, 'tls')
}

const files = (dir: string) => ({
  caCert: join(dir, 'ca.crt'),
  caKey: join(dir, 'ca.key'),
  cert: join(dir, 'server.crt'),
  key: join(dir, 'server.key'),
})

/**
 * The station's own certificate, made or renewed as needed for `names` (see the top of this file).
 * `now` is for tests.
 */
export async function ensureStationCertificate(dataDir: string, names: StationNames, now: Date = new Date()): Promise<EnsureResult> {
  const dir = tlsDir(dataDir)
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  const paths = files(dir)

  let ca = readCa(paths.caCert, paths.caKey)
  if (!ca) ca = await createCa(paths.caCert, paths.caKey, now)

  let renewed: RenewalReason | null = null
  let cert = existsSync(paths.cert) && existsSync(paths.key) ? readPem(paths.cert) : null
  const key = cert ? readPem(paths.key) : null
  if (!cert || !key) renewed = 'created'
  else renewed = renewalReason(cert, key, ca.cert, names, now)
  if (renewed) {
    const made = await createServerCertificate(ca, names, now)
    writeSecret(paths.key, made.key)
    writeFile(paths.cert, made.cert, 0o644)
    cert = made.cert
  }
  const material = describe('station', cert as string, readPem(paths.key) as string, caInfo(ca.cert))
  return { material, renewed }
}

/** A certificate of the warehouse's own (`TLS_CERT`, `TLS_KEY`): read and checked, never changed. */
export function loadOwnCertificate(certFile: string, keyFile: string): TlsMaterial {
  const cert = readPem(certFile)
  const key = readPem(keyFile)
  if (!cert) throw new TlsError(`TLS_CERT: cannot read a certificate from ${certFile}.`)
  if (!key) throw new TlsError(`TLS_KEY: cannot read a private key from ${keyFile}.`)
  if (!/-----BEGIN CERTIFICATE-----/.test(cert)) throw new TlsError(`TLS_CERT: ${certFile} holds no PEM certificate (-----BEGIN CERTIFICATE-----).`)
  try {
    createPrivateKey(key)
  } catch (error) {
    throw new TlsError(`TLS_KEY: ${keyFile} holds no private key Node can read (${(error as Error).message}).`)
  }
  try {
    // Fails when the key is not the certificate's ("key values mismatch").
    createSecureContext({ cert, key })
  } catch (error) {
    throw new TlsError(`TLS_CERT and TLS_KEY do not go together: ${(error as Error).message}.`)
  }
  return describe('own', cert, key, null)
}

/**
 * Why the server certificate on disk must be made again, or null to keep it: unreadable, not
 * issued by this CA, fewer than 30 days left, or missing a name or address the station has now.
 * Names it has that the station lost are kept: an interface that is down for a while changes nothing.
 */
export function renewalReason(certPem: string, keyPem: string, caPem: string, names: StationNames, now: Date): RenewalReason | null {
  let cert: NodeCertificate
  try {
    cert = new NodeCertificate(certPem)
    createSecureContext({ cert: certPem, key: keyPem })
  } catch {
    return 'unreadable'
  }
  const ca = new NodeCertificate(caPem)
  if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) return 'issuer'
  if (new Date(cert.validTo).getTime() - now.getTime() < RENEW_DAYS_BEFORE * DAY) return 'expiring'
  if (new Date(cert.validFrom).getTime() > now.getTime()) return 'expiring'
  const has = subjectAltNames(certPem)
  if (names.dns.some((name) => !has.dns.includes(name)) || names.ips.some((ip) => !has.ips.includes(ip))) return 'names'
  return null
}

/** The DNS names and IP addresses in a certificate's subjectAltName. */
export function subjectAltNames(certPem: string): StationNames {
  const cert = new x509.X509Certificate(firstCertificate(certPem))
  const san = cert.getExtension(x509.SubjectAlternativeNameExtension)
  const dns: string[] = []
  const ips: string[] = []
  for (const name of san?.names.toJSON() ?? []) {
    if (name.type === 'dns') dns.push(name.value.toLowerCase())
    if (name.type === 'ip') {
      const ip = canonicalIp(name.value)
      if (ip) ips.push(ip)
    }
  }
  return { dns: dns.sort(), ips: ips.sort() }
}

/** The DER of a PEM certificate (the first one of a chain). */
export function pemToDer(pem: string): Buffer {
  return Buffer.from(new NodeCertificate(firstCertificate(pem)).raw)
}

function firstCertificate(pem: string): string {
  const match = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)
  if (!match) throw new TlsError('no PEM certificate found')
  return match[0]
}

function describe(source: TlsMaterial['source'], cert: string, key: string, ca: CertificateAuthority | null): TlsMaterial {
  const node = new NodeCertificate(firstCertificate(cert))
  const spki = node.publicKey.export({ type: 'spki', format: 'der' })
  return {
    source,
    cert,
    key,
    ca,
    notAfter: new Date(node.validTo),
    names: subjectAltNames(cert),
    spkiSha256: createHash('sha256').update(spki).digest('base64'),
  }
}

function caInfo(pem: string): CertificateAuthority {
  const node = new NodeCertificate(pem)
  return { pem, der: Buffer.from(node.raw), subject: node.subject.replace(/\n/g, ', '), fingerprint: node.fingerprint256, notAfter: new Date(node.validTo) }
}

interface LoadedCa {
  cert: string
  /** PKCS #8 PEM of the CA's P-256 key. */
  keyPem: string
  x509: x509.X509Certificate
}

function readCa(certFile: string, keyFile: string): LoadedCa | null {
  const cert = readPem(certFile)
  const keyPem = readPem(keyFile)
  if (!cert || !keyPem) return null
  try {
    const key = createPrivateKey(keyPem)
    const node = new NodeCertificate(cert)
    if (!node.ca || key.asymmetricKeyType !== 'ec' || !node.checkPrivateKey(key)) return null
    return { cert, keyPem, x509: new x509.X509Certificate(cert) }
  } catch {
    return null
  }
}

async function createCa(certFile: string, keyFile: string, now: Date): Promise<LoadedCa> {
  const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])
  const notBefore = new Date(now.getTime() - BACKDATE_MS)
  const machine = hostname().replace(/[^\w.-]/g, '') || 'station'
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: `CN=Picking station CA (${machine}), O=Picking station`,
    notBefore,
    notAfter: new Date(notBefore.getTime() + CA_CERT_DAYS * DAY),
    signingAlgorithm: ALGORITHM,
    keys: keys as unknown as X509KeyPair,
    extensions: [
      // A CA that signs server certificates only (path length 0).
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey as unknown as X509Key),
    ],
  })
  const keyPem = await privateKeyPem(keys.privateKey)
  writeSecret(keyFile, keyPem)
  writeFile(certFile, cert.toString('pem') + '\n', 0o644)
  return { cert: cert.toString('pem') + '\n', keyPem, x509: cert }
}

async function createServerCertificate(ca: LoadedCa, names: StationNames, now: Date): Promise<{ cert: string; key: string }> {
  const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])
  const caKey = await webcrypto.subtle.importKey('pkcs8', createPrivateKey(ca.keyPem).export({ type: 'pkcs8', format: 'der' }), ALGORITHM, false, ['sign'])
  const notBefore = new Date(now.getTime() - BACKDATE_MS)
  const common = names.dns.find((name) => name !== 'localhost' && !name.startsWith('*')) ?? 'localhost'
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: `CN=${common}, O=Picking station`,
    issuer: ca.x509.subject,
    notBefore,
    notAfter: new Date(notBefore.getTime() + SERVER_CERT_DAYS * DAY),
    signingAlgorithm: ALGORITHM,
    publicKey: keys.publicKey as unknown as X509Key,
    signingKey: caKey as unknown as X509Key,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([...names.dns.map((value) => ({ type: 'dns' as const, value })), ...names.ips.map((value) => ({ type: 'ip' as const, value }))]),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey as unknown as X509Key),
      await x509.AuthorityKeyIdentifierExtension.create(ca.x509),
    ],
  })
  return { cert: cert.toString('pem') + '\n', key: await privateKeyPem(keys.privateKey) }
}

async function privateKeyPem(key: webcrypto.CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key))
  return `-----BEGIN PRIVATE KEY-----\n${der.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n?$/, '\n')}-----END PRIVATE KEY-----\n`
}

/** A random positive serial number (RFC 5280: at most 20 octets, unique per CA). */
function serialNumber(): string {
  const bytes = randomBytes(16)
  bytes[0] = (bytes[0] as number) & 0x7f || 0x01
  return bytes.toString('hex')
}

function readPem(file: string): string | null {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return null
  }
}

/** Written whole or not at all: a crash mid-write must not leave half a key. */
function writeFile(file: string, content: string, mode: number): void {
  const temporary = `${file}.${process.pid}.tmp`
  writeFileSync(temporary, content, { mode })
  chmodSync(temporary, mode)
  renameSync(temporary, file)
}

function writeSecret(file: string, content: string): void {
  writeFile(file, content, 0o600)
}
