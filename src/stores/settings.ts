import { defineStore } from 'pinia'
import { computed } from 'vue'
import { usePlatform } from '@/app/platform'
import { useLiveQuery } from '@/composables/useLiveQuery'
import { setMeta } from '@/db/schema'
import { DEFAULT_CARRIERS, type Carrier } from '#core/carriers.ts'
import { canonicalTimeZone, DEFAULT_TIME_ZONE } from '#core/datetime.ts'
import type { Seller } from '#core/seller.ts'
import type { StationPrinter, StationSettings } from '#core/station-api.ts'
import { STATION_SETTINGS_KEY } from './sync'

export type NoteSize = 'A4' | 'A5'
export type LabelSize = '100x150' | '4x6'

/** How this tablet prints and packs: kept on the device, since each packing desk has its own printers and habits. */
export interface PrintPrefs {
  /** Open the delivery note for printing as soon as packing is confirmed. */
  print_after_packing: boolean
  /** The last unit scanned confirms the packing, and the next order follows without a tap. */
  finish_on_last_scan: boolean
  note_size: NoteSize
  label_size: LabelSize
  /** The station's thermal printer this desk uses, or null to print through the browser only. */
  printer_id: string | null
  /** The carrier picked last, offered first next time. */
  carrier_id: string | null
}

export const PRINT_PREFS_KEY = 'print_prefs'

export const DEFAULT_PRINT_PREFS: PrintPrefs = {
  print_after_packing: false,
  finish_on_last_scan: true,
  note_size: 'A4',
  label_size: '100x150',
  printer_id: null,
  carrier_id: null,
}

const UNSET_SELLER: Seller = {
  name: 'Seller not known yet: sync the tablet with the station',
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
  const station = useLiveQuery(async () => ((await db.meta.get(STATION_SETTINGS_KEY))?.value as StationSettings | undefined) ?? null, null as StationSettings | null)
  const storedPrefs = useLiveQuery(async () => ((await db.meta.get(PRINT_PREFS_KEY))?.value as Partial<PrintPrefs> | undefined) ?? null, null as Partial<PrintPrefs> | null)

  const prefs = computed<PrintPrefs>(() => ({ ...DEFAULT_PRINT_PREFS, ...storedPrefs.value }))
  const carriers = computed<readonly Carrier[]>(() => (station.value?.carriers.length ? station.value.carriers : DEFAULT_CARRIERS))
  const seller = computed<Seller>(() => station.value?.seller ?? UNSET_SELLER)
  const printers = computed<readonly StationPrinter[]>(() => station.value?.printers ?? [])
  const printer = computed<StationPrinter | null>(() => printers.value.find((p) => p.id === prefs.value.printer_id) ?? null)
  // Settings kept from an older station have no zone: the marketplace's is the likely one.
  const timeZone = computed<string>(() => canonicalTimeZone(station.value?.time_zone) ?? DEFAULT_TIME_ZONE)

  async function setPrefs(change: Partial<PrintPrefs>): Promise<void> {
    await setMeta(PRINT_PREFS_KEY, { ...prefs.value, ...change }, db)
  }

  async function setStation(settings: StationSettings): Promise<void> {
    await setMeta(STATION_SETTINGS_KEY, settings, db)
  }

  return { station, prefs, carriers, seller, printers, printer, timeZone, setPrefs, setStation }
})
