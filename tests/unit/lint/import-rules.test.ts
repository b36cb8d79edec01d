import { fileURLToPath } from 'node:url'
import { ESLint } from 'eslint'
import { beforeAll, describe, expect, it } from 'vitest'

/**
 * `npm run lint` keeps the import rules of the layout (README, "Layout"): each case lints a small
 * file, as if it stood at that path, and expects the rule to refuse its import or let it be.
 */
const root = fileURLToPath(new URL('../../..', import.meta.url))
let eslint: ESLint

async function importErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath })
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message)
}

describe('import rules kept by npm run lint', () => {
  beforeAll(() => {
    eslint = new ESLint({ cwd: root })
  })

  it('the core imports only itself', async () => {
    expect(await importErrors('core/example.ts', "import { ref } from 'vue'\nexport const x = ref\n")).toHaveLength(1)
    expect(await importErrors('core/example.ts', "import { z } from 'zod'\nexport const x = z\n")).toHaveLength(1)
    expect(await importErrors('core/example.ts', "import { db } from '../src/db/schema.ts'\nexport const x = db\n")).toHaveLength(1)
    expect(await importErrors('core/example.ts', "import { readFileSync } from 'node:fs'\nexport const x = readFileSync\n")).toHaveLength(1)
    expect(await importErrors('core/example.ts', "import type { Order } from './order'\nexport type X = Order\n")).toEqual([])
  })

  it('PWA services import no Vue', async () => {
    expect(await importErrors('src/services/example.ts', "import { ref } from 'vue'\nexport const x = ref\n")).toHaveLength(1)
    expect(await importErrors('src/services/example.ts', "import { useSyncStore } from '@/stores/sync'\nexport const x = useSyncStore\n")).toHaveLength(1)
    expect(await importErrors('src/services/example.ts', "import Dexie from 'dexie'\nexport const x = Dexie\n")).toEqual([])
    expect(await importErrors('src/pages/Example.vue', "<script setup lang=\"ts\">\nimport { ref } from 'vue'\nconst x = ref(1)\n</script>\n<template><p>{{ x }}</p></template>\n")).toEqual([])
  })

  it('simulator/common serves both simulators and imports neither them, the station nor the PWA', async () => {
    expect(await importErrors('simulator/common/example.ts', "import { loadConfig } from '../../server/config.ts'\nexport const x = loadConfig\n")).toHaveLength(1)
    expect(await importErrors('simulator/common/example.ts', "import { db } from '@/db/schema'\nexport const x = db\n")).toHaveLength(1)
    expect(await importErrors('simulator/common/example.ts', "import { AllegroSimulator } from '../allegro/marketplace.ts'\nexport const x = AllegroSimulator\n")).toHaveLength(1)
    expect(await importErrors('simulator/allegro/example.ts', "import { isLoopback } from '../common/http.ts'\nexport const x = isLoopback\n")).toEqual([])
  })

  it('the station and the simulator never import each other, and the station nothing from the PWA', async () => {
    expect(await importErrors('server/example.ts', "import { MarketplaceSimulator } from '../simulator/mall/marketplace.ts'\nexport const x = MarketplaceSimulator\n")).toHaveLength(1)
    expect(await importErrors('simulator/mall/example.ts', "import { loadConfig } from '../../server/config.ts'\nexport const x = loadConfig\n")).toHaveLength(1)
    expect(await importErrors('server/store/example.ts', "import { db } from '../../src/db/schema.ts'\nexport const x = db\n")).toHaveLength(1)
    expect(await importErrors('simulator/mall/example.ts', "import { db } from '@/db/schema'\nexport const x = db\n")).toHaveLength(1)
    expect(await importErrors('simulator/allegro/example.ts', "import { loadConfig } from '../../server/config.ts'\nexport const x = loadConfig\n")).toHaveLength(1)
    expect(await importErrors('simulator/allegro/example.ts', "import { db } from '@/db/schema'\nexport const x = db\n")).toHaveLength(1)
    expect(await importErrors('server/marketplace/allegro/example.ts', "import { AllegroSimulator } from '../../../simulator/allegro/marketplace.ts'\nexport const x = AllegroSimulator\n")).toHaveLength(1)
    expect(await importErrors('server/app.ts', "import { AllegroSimulator } from '../simulator/allegro/marketplace.ts'\nexport const x = AllegroSimulator\n")).toEqual([])
    // The wiring mounts the demo marketplace.
    expect(await importErrors('server/app.ts', "import { MarketplaceSimulator } from '../simulator/mall/marketplace.ts'\nexport const x = MarketplaceSimulator\n")).toEqual([])
  })

  it("nothing but the wiring knows MALL's client: the station goes through the marketplace seam", async () => {
    expect(await importErrors('server/marketplace/connector.ts', "import { MallClient } from './mall/client.ts'\nexport const x = MallClient\n")).toHaveLength(1)
    expect(await importErrors('server/api/example.ts', "import { normalizeOrder } from '../marketplace/mall/normalize.ts'\nexport const x = normalizeOrder\n")).toHaveLength(1)
    expect(await importErrors('server/app.ts', "import { MallClient } from './marketplace/mall/client.ts'\nexport const x = MallClient\n")).toEqual([])
    expect(await importErrors('server/marketplace/mall/example.ts', "import { normalizeOrder } from './normalize.ts'\nexport const x = normalizeOrder\n")).toEqual([])
    // Allegro's wire shapes likewise stay in server/marketplace/allegro/.
    expect(await importErrors('server/marketplace/connector.ts', "import { AllegroMarketplace } from './allegro/allegro.ts'\nexport const x = AllegroMarketplace\n")).toHaveLength(1)
    expect(await importErrors('server/orders/example.ts', "import { stationStatus } from '../marketplace/allegro/normalize.ts'\nexport const x = stationStatus\n")).toHaveLength(1)
    expect(await importErrors('server/marketplace/allegro/example.ts', "import { MallClient } from '../mall/client.ts'\nexport const x = MallClient\n")).toHaveLength(1)
    expect(await importErrors('server/app.ts', "import { AllegroMarketplace } from './marketplace/allegro/allegro.ts'\nexport const x = AllegroMarketplace\n")).toEqual([])
    expect(await importErrors('server/marketplace/allegro/example.ts', "import { stationStatus } from './normalize.ts'\nexport const x = stationStatus\n")).toEqual([])
  })

  it("the station's services never import its HTTP layer", async () => {
    expect(await importErrors('server/orders/example.ts', "import { sendProblem } from '../api/problem.ts'\nexport const x = sendProblem\n")).toHaveLength(1)
    expect(await importErrors('server/orders/example.ts', "import { problem } from '#core/problem.ts'\nexport const x = problem\n")).toEqual([])
  })
})
