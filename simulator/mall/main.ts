import { serveAlone } from '../common/http.ts'
import { loadSimulatorConfig, SimulatorConfigError } from './config.ts'
import { MarketplaceSimulator } from './marketplace.ts'
import { registerMarketplaceSimulator } from './routes.ts'
import { createSimulatorServer } from './server.ts'

/**
 * The marketplace simulator on its own (`npm run simulator`), for trying an integration against
 * it without the station. Same settings as the station; its default port is 8090.
 */
async function main(): Promise<void> {
  const config = loadSimulatorConfig(process.env)
  const simulator = new MarketplaceSimulator(config.options)
  const app = createSimulatorServer()
  await registerMarketplaceSimulator(app, simulator, '/mall', { controlFrom: config.control })
  await serveAlone(app, simulator, config, (port) => `MALL marketplace simulator: http://localhost:${port}/mall/v1/orders?client_id=${config.options.clientId}`)
}

main().catch((error: unknown) => {
  console.error(error instanceof SimulatorConfigError ? error.message : error)
  process.exit(1)
})
