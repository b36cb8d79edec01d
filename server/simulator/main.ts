import { ConfigError, loadConfig, simulatorSettings } from '../config.ts'
import { createHttpServer } from '../http.ts'
import { MarketplaceSimulator } from './marketplace.ts'
import { registerMarketplaceSimulator } from './routes.ts'

/**
 * The marketplace simulator on its own (`npm run simulator`), for trying an integration against
 * it without the station. Same settings as the station; its default port is 8090.
 */
async function main(): Promise<void> {
  const config = loadConfig({ PORT: '8090', ...process.env })
  const simulator = new MarketplaceSimulator(simulatorSettings(config))
  const app = createHttpServer()
  await registerMarketplaceSimulator(app, simulator, '/mall', { controlFrom: config.simulator.control })
  const address = await app.listen({ port: config.port, host: config.host })
  const port = new URL(address).port
  console.log(`MALL marketplace simulator: http://localhost:${port}/mall/v1/orders?client_id=${config.mallClientId}`)
  const stop = () => void app.close().then(() => simulator.close()).then(() => process.exit(0))
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error)
  process.exit(1)
})
