import { AllegroSimulatorConfigError, loadAllegroSimulatorConfig } from './config.ts'
import { AllegroSimulator } from './marketplace.ts'
import { registerAllegroSimulator } from './routes.ts'
import { createAllegroSimulatorServer } from './server.ts'

/**
 * The Allegro simulator on its own (`npm run simulator:allegro`), for trying an integration
 * against it without the station; its default port is 8091.
 */
async function main(): Promise<void> {
  const config = loadAllegroSimulatorConfig(process.env)
  const simulator = new AllegroSimulator(config.options)
  const app = createAllegroSimulatorServer()
  await registerAllegroSimulator(app, simulator, '/allegro', { controlFrom: config.control })
  const address = await app.listen({ port: config.port, host: config.host })
  const base = `http://localhost:${new URL(address).port}/allegro`
  console.log(`Allegro simulator: API and OAuth at ${base} (client id ${config.options.clientId}), control API at ${base}/_sim`)
  const stop = () => void app.close().then(() => simulator.close()).then(() => process.exit(0))
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

main().catch((error: unknown) => {
  console.error(error instanceof AllegroSimulatorConfigError ? error.message : error)
  process.exit(1)
})
