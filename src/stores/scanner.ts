import { defineStore } from 'pinia'
import { computed } from 'vue'
import { usePlatform } from '@/app/platform'
import { useLiveQuery } from '@/composables/useLiveQuery'
import { setMeta } from '@/db/schema'
import { parseAffix, type WedgeAffixes } from '@/services/scan/wedge'

/**
 * This tablet's hardware scanner as it is set up: the prefix and suffix it sends around each code
 * (control characters by name, e.g. `<STX>`), written as in Settings. Kept on the device: each
 * desk or handheld has its own scanner.
 */
export interface ScannerPrefs {
  prefix: string
  suffix: string
}

export const SCANNER_PREFS_KEY = 'scanner_prefs'

export const useScannerStore = defineStore('scanner', () => {
  const { db } = usePlatform()
  const stored = useLiveQuery(async () => ((await db.meta.get(SCANNER_PREFS_KEY))?.value as Partial<ScannerPrefs> | undefined) ?? null, null as Partial<ScannerPrefs> | null)

  const prefs = computed<ScannerPrefs>(() => ({ prefix: '', suffix: '', ...stored.value }))
  /** What the scanner sends, as the wedge detector compares it. */
  const affixes = computed<WedgeAffixes>(() => ({ prefix: parseAffix(prefs.value.prefix), suffix: parseAffix(prefs.value.suffix) }))

  async function setPrefs(change: Partial<ScannerPrefs>): Promise<void> {
    await setMeta(SCANNER_PREFS_KEY, { ...prefs.value, ...change }, db)
  }

  return { prefs, affixes, setPrefs }
})
