import { createHash } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import QRCode from 'qrcode'
import type { TlsMaterial } from './certificates.ts'
import { canonicalIp, hostOf, isHostName, isLoopbackAddress, isLoopbackHost, urlHost } from './names.ts'
import { languageOfAcceptLanguage, SETUP_WORDS, type SetupWords } from './setup-words.ts'

/**
 * Onboarding a device, on the plain-HTTP port: the setup page (`/setup`) hands out the station's
 * CA certificate (`/setup/ca.crt`, and `/setup/picking-station.mobileconfig` for iPadOS), shows a
 * QR code of the HTTPS address and the steps per device, and checks whether this device trusts
 * the station already (its script fetches the HTTPS health check, which answers this page with
 * CORS). Everything else on plain HTTP is a redirect to the setup page, except for the station's
 * own machine (`http://localhost:8080` keeps the whole app, the API and the demo simulator) and
 * the marketplace's webhook (MALL cannot be made to trust a local CA).
 */

export type PlainHttpRoute = 'setup' | 'station' | 'redirect'

export interface PlainHttpRequest {
  method: string
  /** The path, without the query. */
  path: string
  /** The client's address (the TCP peer). */
  remoteAddress: string | undefined
  /** The `Host` header. */
  host: string | undefined
}

/** What the plain-HTTP port does with a request: the setup page, the station itself, or a redirect to the setup page. */
export function plainHttpRoute(request: PlainHttpRequest): PlainHttpRoute {
  if (request.path === '/setup' || request.path.startsWith('/setup/')) return 'setup'
  if (request.method === 'POST' && request.path === '/api/marketplace/webhook') return 'station'
  // The station's own machine, by a loopback name: a page elsewhere that a DNS name rebinds to
  // 127.0.0.1 sends its own Host, and is sent to the setup page like any other device.
  if (isLoopbackAddress(request.remoteAddress) && isLoopbackHost(request.host)) return 'station'
  return 'redirect'
}

/** Whether `origin` is a setup page's (`http://ANY-HOST:HTTP_PORT`), which may read the HTTPS health check. */
export function isSetupOrigin(origin: string | undefined, httpPort: number): boolean {
  if (!origin) return false
  try {
    const url = new URL(origin)
    return url.protocol === 'http:' && url.origin === origin && (url.port || '80') === String(httpPort)
  } catch {
    return false
  }
}

export interface SetupDeps {
  /** The certificate served now (it changes when renewed). */
  material(): TlsMaterial
  /** The ports, known once the station listens. */
  ports(): { http: number; https: number }
  /** This machine's LAN addresses (IPv4, not loopback). */
  lanAddresses(): string[]
}

const SETUP_CSP = (httpsOrigins: string[]) =>
  [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src ${httpsOrigins.join(' ')}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ')

function originOf(protocol: 'http' | 'https', host: string, port: number): string {
  return new URL(`${protocol}://${urlHost(host)}:${port}/`).origin
}

/** The address this request should be answered about: the host it used, or the LAN's when it came by loopback. */
function addressesFor(request: FastifyRequest, deps: SetupDeps): { hosts: string[]; local: boolean } {
  const named = hostOf(request.headers.host)
  // Only a name or an address goes into the page and its policy, never whatever a Host header holds.
  const used = named && (isHostName(named) || canonicalIp(named)) ? named : 'localhost'
  const local = isLoopbackHost(used)
  if (!local) return { hosts: [used], local }
  const lan = deps.lanAddresses()
  return { hosts: lan.length > 0 ? lan : [used], local }
}

/** The setup page, its script and style, the CA certificate and the iPadOS profile. */
export async function registerSetup(app: FastifyInstance, deps: SetupDeps): Promise<void> {
  await app.register(async (setup) => {
    // After the station's own security headers (registered first, on the root): this page's
    // policy lets its script ask the HTTPS port whether the device trusts it.
    setup.addHook('onSend', async (request, reply, payload) => {
      const { hosts } = addressesFor(request, deps)
      const httpsOrigins = hosts.map((host) => originOf('https', host, deps.ports().https))
      reply.header('content-security-policy', SETUP_CSP(httpsOrigins))
      reply.header('cache-control', 'no-store')
      return payload
    })

    setup.get('/setup', async (request, reply) => {
      const { hosts, local } = addressesFor(request, deps)
      // In the language the browser asks for (setup-words.ts), English otherwise.
      const language = languageOfAcceptLanguage(request.headers['accept-language'])
      const html = await setupPage({ hosts, local, ports: deps.ports(), material: deps.material(), language, words: SETUP_WORDS[language] })
      return reply.type('text/html; charset=utf-8').header('vary', 'Accept-Language').send(html)
    })
    setup.get('/setup/setup.js', async (_request, reply) => reply.type('text/javascript; charset=utf-8').send(SETUP_JS))
    setup.get('/setup/setup.css', async (_request, reply) => reply.type('text/css; charset=utf-8').send(SETUP_CSS))
    setup.get('/setup/ca.crt', async (_request, reply) => {
      const ca = deps.material().ca
      if (!ca) return noCa(reply)
      return reply
        .type('application/x-x509-ca-cert')
        .header('content-disposition', 'attachment; filename="picking-station-ca.crt"')
        .send(ca.der)
    })
    setup.get('/setup/picking-station.mobileconfig', async (_request, reply) => {
      const ca = deps.material().ca
      if (!ca) return noCa(reply)
      return reply
        .type('application/x-apple-aspen-config')
        .header('content-disposition', 'attachment; filename="picking-station.mobileconfig"')
        .send(mobileConfig(ca))
    })
  })
}

function noCa(reply: FastifyReply) {
  return reply
    .code(404)
    .type('text/plain; charset=utf-8')
    .send("This station uses the certificate it was given (TLS_CERT): devices that trust its issuer need nothing from here.")
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

/** A QR code as an SVG element, for the page itself (no script, no image request). */
async function qrSvg(text: string, label: string): Promise<string> {
  const svg = await QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 })
  return svg.replace('<svg ', `<svg role="img" aria-label="${escapeHtml(label)}" class="qr" `)
}

async function setupPage(options: {
  hosts: string[]
  local: boolean
  ports: { http: number; https: number }
  material: TlsMaterial
  language: string
  words: SetupWords
}): Promise<string> {
  const { hosts, local, ports, material, language, words } = options
  const steps = (list: string[]) => `<ol>\n${list.map((step) => `      <li>${step}</li>`).join('\n')}\n    </ol>`
  const main = hosts[0] as string
  const appUrl = `${originOf('https', main, ports.https)}/`
  const setupUrl = `${originOf('http', main, ports.http)}/setup`
  const ca = material.ca
  const codes = [await qrSvg(appUrl, `${words.qrOf} ${appUrl}`)]
  if (local) codes.unshift(await qrSvg(setupUrl, `${words.qrOf} ${setupUrl}`))
  const others = hosts.slice(1).map((host) => `${originOf('https', host, ports.https)}/`)

  const caSteps = ca
    ? `
  <section>
    <h2>${words.trustOnce}</h2>
    <p>
      <a class="button" href="/setup/ca.crt" download="picking-station-ca.crt">${words.downloadCertificate}</a>
      <a class="button" href="/setup/picking-station.mobileconfig">${words.ipadProfile}</a>
    </p>
    <p class="small">${words.certificate}: ${escapeHtml(ca.subject)}<br />${words.fingerprint}: <code>${escapeHtml(ca.fingerprint)}</code></p>
    <h3>Android</h3>
    ${steps(words.android)}
    <h3>iPad (iPadOS)</h3>
    ${steps(words.ipad)}
    <h3>Windows (Chrome, Edge)</h3>
    ${steps(words.windows)}
  </section>`
    : `
  <section>
    <h2>${words.trustOrg}</h2>
    <p>${words.orgCertificate.replace('{names}', escapeHtml(material.names.dns.join(', ') || words.itsAddresses))}</p>
  </section>`

  return `<!doctype html>
<html lang="${language}">
<head>
  <meta charset="utf-8" />
  <meta name="viewport" content="width=device-width, initial-scale=1" />
  <title>${words.title}</title>
  <link rel="stylesheet" href="/setup/setup.css" />
  <script src="/setup/setup.js" defer></script>
</head>
<body>
<main>
  <h1>${words.heading}</h1>
  <p>${words.intro[0]} <a href="${escapeHtml(appUrl)}">${escapeHtml(appUrl)}</a>${words.intro[1]}</p>
  <p id="trust" class="trust" data-state="checking" data-check="${escapeHtml(appUrl)}api/health" data-app="${escapeHtml(appUrl)}"
    data-checking="${escapeHtml(words.checking)}" data-trusted="${escapeHtml(words.trusted)}" data-untrusted="${escapeHtml(words.untrusted)}" data-open="${escapeHtml(words.openApp)}"
    role="status">${words.checking}</p>
  <p><button type="button" id="check-again">${words.checkAgain}</button></p>
  ${caSteps}
  <section>
    <h2>${words.openHeading}</h2>
    <p class="address"><a href="${escapeHtml(appUrl)}">${escapeHtml(appUrl)}</a></p>
    ${others.length > 0 ? `<p class="small">${words.otherAddresses} ${others.map((url) => `<a href="${escapeHtml(url)}">${escapeHtml(url)}</a>`).join(', ')}</p>` : ''}
    <div class="codes">
      ${local ? `<figure>${codes[0]}<figcaption>${words.scanToOpenHere} ${escapeHtml(setupUrl)}</figcaption></figure>` : ''}
      <figure>${codes[codes.length - 1]}<figcaption>${words.theApp} ${escapeHtml(appUrl)}</figcaption></figure>
    </div>
  </section>
</main>
</body>
</html>
`
}

/** The setup page's script: does this device trust the station's HTTPS already? */
const SETUP_JS = `'use strict'
// A device that does not trust the station's certificate fails this request before any answer.
const box = document.getElementById('trust')
function show(state, text, link) {
  box.dataset.state = state
  box.textContent = text
  if (link) {
    const a = document.createElement('a')
    a.href = link
    a.textContent = box.dataset.open
    box.append(' ', a)
  }
}
async function check() {
  show('checking', box.dataset.checking)
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), 8000)
  try {
    const response = await fetch(box.dataset.check, { mode: 'cors', cache: 'no-store', credentials: 'omit', signal: controller.signal })
    if (!response.ok) throw new Error('HTTP ' + response.status)
    show('trusted', box.dataset.trusted, box.dataset.app)
  } catch {
    show('untrusted', box.dataset.untrusted)
  } finally {
    clearTimeout(timer)
  }
}
document.getElementById('check-again').addEventListener('click', check)
check()
`

const SETUP_CSS = `body { font: 16px/1.5 system-ui, sans-serif; margin: 0; background: #f3f5f8; color: #1b1f24; }
main { max-width: 46rem; margin: 0 auto; padding: 1rem 1.25rem 3rem; }
h1 { font-size: 1.5rem; }
h2 { font-size: 1.2rem; margin-top: 2rem; }
h3 { font-size: 1rem; margin-bottom: 0.25rem; }
a { color: #0b5cad; }
.button { display: inline-block; margin: 0 0.5rem 0.5rem 0; padding: 0.6rem 1rem; border-radius: 6px; background: #0b5cad; color: #fff; text-decoration: none; }
.trust { padding: 0.75rem 1rem; border-radius: 6px; background: #e8ecf1; font-weight: 600; }
.trust[data-state='trusted'] { background: #dff3e4; color: #17602c; }
.trust[data-state='untrusted'] { background: #fdecea; color: #8a1c12; }
.address { font-size: 1.25rem; font-weight: 600; word-break: break-all; }
.small { font-size: 0.875rem; color: #4a5360; word-break: break-word; }
.codes { display: flex; flex-wrap: wrap; gap: 1.5rem; }
.codes figure { margin: 0; max-width: 15rem; }
.qr { width: 14rem; height: 14rem; background: #fff; }
figcaption { font-size: 0.875rem; word-break: break-all; }
button { font: inherit; padding: 0.4rem 0.9rem; }
`

/** A stable UUID made from the CA's fingerprint: downloading the profile again replaces, not adds. */
function stableUuid(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`.toUpperCase()
}

/** An iPadOS configuration profile that installs the station's CA (then trusted in Certificate Trust Settings). */
export function mobileConfig(ca: NonNullable<TlsMaterial['ca']>): string {
  const id = ca.fingerprint.replace(/:/g, '').slice(0, 16).toLowerCase()
  const name = escapeHtml(/CN=([^,]+)/.exec(ca.subject)?.[1] ?? 'Picking station CA')
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>PayloadContent</key>
  <array>
    <dict>
      <key>PayloadCertificateFileName</key>
      <string>picking-station-ca.crt</string>
      <key>PayloadContent</key>
      <data>${ca.der.toString('base64')}</data>
      <key>PayloadDescription</key>
      <string>The certificate authority of the warehouse's picking station.</string>
      <key>PayloadDisplayName</key>
      <string>${name}</string>
      <key>PayloadIdentifier</key>
      <string>local.picking-station.ca.${id}</string>
      <key>PayloadType</key>
      <string>com.apple.security.root</string>
      <key>PayloadUUID</key>
      <string>${stableUuid(`${ca.fingerprint}/ca`)}</string>
      <key>PayloadVersion</key>
      <integer>1</integer>
    </dict>
  </array>
  <key>PayloadDescription</key>
  <string>Lets this iPad open the picking app over HTTPS on the warehouse network.</string>
  <key>PayloadDisplayName</key>
  <string>Picking station</string>
  <key>PayloadIdentifier</key>
  <string>local.picking-station.${id}</string>
  <key>PayloadRemovalDisallowed</key>
  <false/>
  <key>PayloadType</key>
  <string>Configuration</string>
  <key>PayloadUUID</key>
  <string>${stableUuid(`${ca.fingerprint}/profile`)}</string>
  <key>PayloadVersion</key>
  <integer>1</integer>
</dict>
</plist>
`
}
