import { networkInterfaces } from 'node:os'
import { ConfigError, loadConfig } from './config.ts'
import { createStation, DEMO_USERS } from './app.ts'

/** `npm start`: the demo warehouse (station + simulated marketplace + built PWA) on one port. */
async function main(): Promise<void> {
  const config = loadConfig()
  const station = await createStation(config)
  const address = await station.listen()
  const port = new URL(address).port
  const lan = Object.values(networkInterfaces())
    .flat()
    .filter((net) => net && net.family === 'IPv4' && !net.internal)
    .map((net) => `http://${net?.address}:${port}/`)

  console.log('')
  console.log(`Picking station is running: http://localhost:${port}/`)
  if (config.host === '0.0.0.0' && lan.length > 0) console.log(`  tablets on the warehouse network: ${lan.join(', ')}`)
  console.log(`  data folder: ${config.dataDir}`)
  if (config.marketplace === 'demo') {
    console.log(`  marketplace: demo simulator at http://localhost:${port}/mall/v1, activity ${config.simulator.activity ? 'on' : 'off'}`)
    console.log(`  demo sign-in: ${DEMO_USERS.map((u) => `${u.name} / PIN ${u.pin}`).join(', ')}`)
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
  console.error(error instanceof ConfigError ? error.message : error)
  process.exit(1)
})
