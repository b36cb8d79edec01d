import { defineStore } from 'pinia'
import { computed } from 'vue'
import { usePlatform } from '@/app/platform'
import { useLiveQuery } from '@/composables/useLiveQuery'
import { t } from '@/i18n'
import type { PrintPrefs } from '@/db/meta-keys'
import { getMeta, setMeta } from '@/db/schema'
import { DEFAULT_CARRIERS, type Carrier } from '#core/carriers.ts'
import { canonicalTimeZone, DEFAULT_TIME_ZONE } from '#core/datetime.ts'
import type { Language } from '#core/languages.ts'
import type { Seller } from '#core/seller.ts'
import type { StationPrinter, StationSettings } from '#core/station-api.ts'

export type { LabelSize, NoteSize, PrintPrefs } from '@/db/meta-keys'

export const DEFAULT_PRINT_PREFS: PrintPrefs = {
  print_after_packing: false,
  finish_on_last_scan: true,
  note_size: 'A4',
  label_size: '100x150',
  printer_id: null,
  carrier_id: null,
}

const UNSET_SELLER: Seller = {
  name: '',
  street: '',
  city: '',
  zip: '',
  country: '',
  phone: null,
  email: null,
  company_id: null,
  vat_id: null,
}

/** The station's settings as last synced, and this tablet's print preferences. Both work offline. */
export const useSettingsStore = defineStore('settings', () => {
  const { db } = usePlatform()
  const station = useLiveQuery(() => getMeta('station_settings', null, db), null as StationSettings | null)
  const storedPrefs = useLiveQuery(() => getMeta('print_prefs', null, db), null as Partial<PrintPrefs> | null)

  const prefs = computed<PrintPrefs>(() => ({ ...DEFAULT_PRINT_PREFS, ...storedPrefs.value }))
  const carriers = computed<readonly Carrier[]>(() => (station.value?.carriers.length ? station.value.carriers : DEFAULT_CARRIERS))
  const seller = computed<Seller>(() => station.value?.seller ?? { ...UNSET_SELLER, name: t('settings.sellerUnknown') })
  const printers = computed<readonly StationPrinter[]>(() => station.value?.printers ?? [])
  const printer = computed<StationPrinter | null>(() => printers.value.find((p) => p.id === prefs.value.printer_id) ?? null)
  // Settings kept from an older station have no zone: the marketplace's is the likely one.
  /** The language the warehouse prints every paper in, or null for each customer's own. */
  const paperLanguage = computed<Language | null>(() => station.value?.paper_language ?? null)
  const timeZone = computed<string>(() => canonicalTimeZone(station.value?.time_zone) ?? DEFAULT_TIME_ZONE)

  async function setPrefs(change: Partial<PrintPrefs>): Promise<void> {
    await setMeta('print_prefs', { ...prefs.value, ...change }, db)
  }

  async function setStation(settings: StationSettings): Promise<void> {
    await setMeta('station_settings', settings, db)
  }

  return { station, prefs, carriers, seller, printers, printer, paperLanguage, timeZone, setPrefs, setStation }
})
