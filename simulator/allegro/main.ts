import { serveAlone } from '../common/http.ts'
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
  await serveAlone(app, simulator, config, (port) => {
    const base = `http://localhost:${port}/allegro`
    return `Allegro simulator: API and OAuth at ${base} (client id ${config.options.clientId}), control API at ${base}/_sim`
  })
}

main().catch((error: unknown) => {
  console.error(error instanceof AllegroSimulatorConfigError ? error.message : error)
  process.exit(1)
})
