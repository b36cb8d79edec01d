import { join, relative } from 'node:path'
import { ConfigError, loadConfig } from './config.ts'
import { createStation, DEMO_USERS } from './app.ts'
import { TlsError, tlsDir } from './https/certificates.ts'
import { lanAddresses } from './https/names.ts'

/**
 * `npm start`: the demo warehouse (station + simulated marketplace + built PWA), on HTTPS for the
 * tablets and on plain HTTP for this computer and the setup page.
 */
async function main(): Promise<void> {
  const config = loadConfig()
  const station = await createStation(config)
  const address = await station.listen()
  const port = new URL(address).port
  const httpsPort = new URL(station.httpsAddress() ?? 'https://localhost/').port || '443'
  // The addresses tablets use: the machine's (or the one HOST names) and the extra names.
  const hosts = config.host === '0.0.0.0' || config.host === '::' ? lanAddresses() : [config.host]
  const tabletHosts = [...hosts.filter((host) => !/^(127\.|::1$|localhost$)/.test(host)), ...config.tls.hostnames]
  const url = (scheme: string, host: string, p: string) => `${scheme}://${host.includes(':') ? `[${host}]` : host}:${p}`
  const tls = station.tls()

  console.log('')
  console.log(`Picking station is running: http://localhost:${port}/ (this computer)`)
  // Allegro's approval page, in the demo: opened from a phone, so on the station's LAN address.
  if (tabletHosts.length > 0) station.allegroSimulator?.setVerificationBase(`${url('https', tabletHosts[0] as string, httpsPort)}/allegro`)
  if (tabletHosts.length > 0) {
    console.log(`  tablets on the warehouse network: ${tabletHosts.map((host) => `${url('https', host, httpsPort)}/`).join(', ')}`)
    console.log(`  set up a tablet first (trust the station, QR code, steps): ${url('http', tabletHosts[0] as string, port)}/setup`)
  } else {
    console.log(`  HTTPS: https://localhost:${httpsPort}/ (HOST=${config.host}: this computer only)`)
  }
  if (tls.ca) {
    const caPath = join(tlsDir(config.dataDir), 'ca.crt')
    const caFile = relative(process.cwd(), caPath).startsWith('..') ? caPath : relative(process.cwd(), caPath)
    console.log(`  HTTPS certificate: the station's own, until ${tls.notAfter.toISOString().slice(0, 10)}; its CA ${caFile} (SHA-256 ${tls.ca.fingerprint.slice(0, 23)}…)`)
  } else {
    console.log(`  HTTPS certificate: ${config.tls.certFile} (TLS_CERT), until ${tls.notAfter.toISOString().slice(0, 10)}, for ${[...tls.names.dns, ...tls.names.ips].join(', ')}`)
  }
  console.log(`  data folder: ${config.dataDir}`)
  if (config.marketplace === 'demo') {
    console.log(`  marketplace: demo simulator at http://localhost:${port}/mall/v1, activity ${config.simulator.activity ? 'on' : 'off'}`)
    console.log(`  demo sign-in: ${DEMO_USERS.map((u) => `${u.name} / PIN ${u.pin}`).join(', ')}`)
  } else if (config.marketplace === 'demo-allegro') {
    console.log(`  marketplace: Allegro simulator at http://localhost:${port}/allegro`)
    console.log(`  demo sign-in: ${DEMO_USERS.map((u) => `${u.name} / PIN ${u.pin}`).join(', ')}`)
  } else if (config.marketplace === 'allegro') {
    console.log(`  marketplace: Allegro (${config.allegro.env}) at ${config.allegro.apiUrl}; a team lead connects the account in Settings`)
  } else {
    console.log(`  marketplace: MALL at ${config.mallApiUrl}`)
  }
  const demo = station.demoPrinter
  if (demo?.printer) console.log(`  label printer: demo printer at ${demo.printer.address}, jobs saved to ${demo.folder}`)
  for (const p of config.printers ?? []) console.log(`  label printer: ${p.name} at ${p.address}, ${p.dpi} dpi (id ${p.id})`)
  console.log('')

  const stop = (signal: string) => {
    console.log(`${signal}: stopping the station…`)
    station.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error)
        process.exit(1)
      },
    )
  }
  process.once('SIGINT', () => stop('SIGINT'))
  process.once('SIGTERM', () => stop('SIGTERM'))
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError || error instanceof TlsError ? error.message : error)
  process.exit(1)
})
