import { benchPwa, benchScanFeedback } from './pwa.bench.ts'
import { printFigures } from './report.ts'
import { benchSimulator } from './simulator.bench.ts'
import { benchStation } from './station.bench.ts'

/**
 * `npm run bench`: measures speed against the budgets each figure carries and prints it with
 * its ratio to the budget. Timings belong here, not in tests, where a busy machine makes them flaky.
 */
const results = [
  printFigures('Station server', await benchStation()),
  printFigures('Marketplace simulator', await benchSimulator()),
  printFigures('PWA in Chromium', [...(await benchPwa()), ...(await benchScanFeedback())]),
]

if (results.includes(false)) {
  console.log('\nSome figures are over budget.')
  process.exitCode = 1
}
