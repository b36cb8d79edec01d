import { DEFAULT_CARRIERS, type Carrier } from '#core/carriers.ts'
import { DEFAULT_TIME_ZONE } from '#core/datetime.ts'
import { DEMO_SELLER, type Seller } from '#core/seller.ts'
import type { Language } from '#core/languages.ts'
import type { StationPrinter, StationSettings } from '#core/station-api.ts'
import type { StationDatabase } from './database.ts'
import { MIN_PIN_LENGTH } from './users.ts'

/**
 * The settings every tablet shares: the seller printed on the papers, the own carriers with their
 * tracking links, the label printers, and the warehouse's time zone. Each part is kept as one JSON value; a part never
 * saved reads as its default.
 */

type SettingsKey = keyof StationSettings
/** The parts saved as one JSON value each, with a default of their own. */
type PartKey = Exclude<SettingsKey, 'time_zone' | 'pin_min_length' | 'marketplace_webhook_url' | 'paper_language'>

const DEFAULTS: { [K in PartKey]: () => StationSettings[K] } = {
  seller: (): Seller => ({ ...DEMO_SELLER }),
  carriers: (): Carrier[] => DEFAULT_CARRIERS.map((carrier) => ({ ...carrier })),
  printers: (): StationPrinter[] => [],
}

export interface SettingsStoreOptions {
  /**
   * Printers the station itself runs (the demo printer), listed after the saved ones. They are
   * never saved: a tablet sending the list back with them changes nothing.
   */
  ownPrinters?: () => StationPrinter[]
  /** The warehouse's time zone until a lead saves one (the station's `TZ`, else Europe/Prague). */
  timeZone?: string
}

export class SettingsStore {
  private readonly ownPrinters: () => StationPrinter[]
  private readonly defaultTimeZone: string

  constructor(
    private readonly db: StationDatabase,
    private readonly clock: () => number = Date.now,
    options: SettingsStoreOptions = {},
  ) {
    this.ownPrinters = options.ownPrinters ?? (() => [])
    this.defaultTimeZone = options.timeZone ?? DEFAULT_TIME_ZONE
  }

  get(): StationSettings {
    const rows = this.db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[]
    const saved = new Map(rows.map((row) => [row.key, JSON.parse(row.value) as unknown]))
    const part = <K extends PartKey>(key: K): StationSettings[K] => (saved.has(key) ? (saved.get(key) as StationSettings[K]) : DEFAULTS[key]())
    const own = this.ownPrinters()
    return {
      seller: part('seller'),
      carriers: part('carriers'),
      printers: [...part('printers').filter((p) => !own.some((o) => o.id === p.id)), ...own],
      time_zone: saved.has('time_zone') ? (saved.get('time_zone') as string) : this.defaultTimeZone,
      pin_min_length: saved.has('pin_min_length') ? (saved.get('pin_min_length') as number) : MIN_PIN_LENGTH,
      paper_language: saved.has('paper_language') ? (saved.get('paper_language') as Language | null) : null,
    }
  }

  /**
   * Saves the parts given (each replaces the saved one whole) and returns the settings as they now
   * are. The station's own printers are left out of what is saved.
   */
  update(change: Partial<StationSettings>): StationSettings {
    const own = this.ownPrinters()
    const parts: Partial<StationSettings> = { ...change }
    if (parts.printers) parts.printers = parts.printers.filter((p) => !own.some((o) => o.id === p.id))
    const at = new Date(this.clock()).toISOString()
    this.db.transaction(() => {
      for (const [key, value] of Object.entries(parts)) {
        if (value === undefined) continue
        this.db
          .prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at')
          .run(key, JSON.stringify(value), at)
      }
    })()
    return this.get()
  }

  /** The printer with this id, among the saved ones and the station's own. */
  printer(id: string): StationPrinter | null {
    return this.get().printers.find((p) => p.id === id) ?? null
  }
}
