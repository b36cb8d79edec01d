import { defineStore } from 'pinia'
import { computed } from 'vue'
import { usePlatform } from '@/app/platform'
import { useLiveQuery } from '@/composables/useLiveQuery'
import type { ScannerPrefs } from '@/db/meta-keys'
import { getMeta, setMeta } from '@/db/schema'
import { parseAffix, type WedgeAffixes } from '@/services/scan/wedge'

export type { ScannerPrefs } from '@/db/meta-keys'

export const useScannerStore = defineStore('scanner', () => {
  const { db } = usePlatform()
  const stored = useLiveQuery(() => getMeta('scanner_prefs', null, db), null as Partial<ScannerPrefs> | null)

  const prefs = computed<ScannerPrefs>(() => ({ prefix: '', suffix: '', ...stored.value }))
  /** What the scanner sends, as the wedge detector compares it. */
  const affixes = computed<WedgeAffixes>(() => ({ prefix: parseAffix(prefs.value.prefix), suffix: parseAffix(prefs.value.suffix) }))

  async function setPrefs(change: Partial<ScannerPrefs>): Promise<void> {
    await setMeta('scanner_prefs', { ...prefs.value, ...change }, db)
  }

  return { prefs, affixes, setPrefs }
})
