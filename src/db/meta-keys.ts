import type { SignedIn, StationSettings } from '#core/station-api.ts'
import type { ScreenLanguage } from '@/i18n/languages'

/**
 * Every key the tablet keeps in its `meta` table, with the type of its value: `getMeta` and
 * `setMeta` take only these keys, so a misspelt key or a value of the wrong shape does not compile.
 */
export interface MetaValues {
  /** Who is signed in on this tablet, with their token; null once signed out. */
  session: SignedIn | null
  /** This tablet's own id, made once, sent with every change for the audit log. */
  device_id: string
  /** This desk's print preferences, as far as they were changed. */
  print_prefs: Partial<PrintPrefs>
  /** This tablet's hardware scanner's prefix and suffix. */
  scanner_prefs: Partial<ScannerPrefs>
  /** The station's shared settings as last synced. */
  station_settings: StationSettings
  /** When the outbox or a pull last reached the station. */
  last_sync_at: string
  /** Where the next orders pull starts (the station's cursor). */
  orders_cursor: string
  /** Where the desk's next pull of the order history starts. */
  history_cursor: string
  /** Where the next catalogue pull starts. */
  products_cursor: string
  /** Whether the pack screen beeps on a scan. */
  'setting:sound': boolean
  /** The screen language last chosen on this device: the sign-in screen speaks it. */
  language: ScreenLanguage
  /** Each person's screen language on this device, by user name. */
  [person: `language:${string}`]: ScreenLanguage
  /** A batch pick's progress (units picked per SKU), keyed by its orders. */
  [batch: `batch:${string}`]: Record<string, number>
}

export type MetaKey = keyof MetaValues

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

/**
 * This tablet's hardware scanner as it is set up: the prefix and suffix it sends around each code
 * (control characters by name, e.g. `<STX>`), written as in Settings. Kept on the device: each
 * desk or handheld has its own scanner.
 */
export interface ScannerPrefs {
  prefix: string
  suffix: string
}
