import type { StationDatabase } from '../../store/database.ts'
import { productOfferSchema, type CheckoutForm, type ProductOffer } from './wire.ts'

/**
 * What the Allegro connection keeps in the station's database, in tables of its own: the station's
 * number for each checkout form (Allegro's ids are UUIDs), the last form read, the events cursor,
 * the account's tokens, each offer read once (photos, EAN, SKU) and the label commands sent.
 */

/** The station numbers Allegro's orders from here, so they never look like a MALL order's id. */
const FIRST_NUMBER = 1001

export interface StoredTokens {
  access_token: string
  refresh_token: string
  /** Epoch milliseconds. */
  expires_at: number
}

export interface LabelCommand {
  command_id: string
  number: number
  labels_type: 'pdf' | 'zpl'
  parcel: number
  shipment_id: string | null
  state: 'sent' | 'done' | 'failed'
  error: string | null
}

export class AllegroStore {
  constructor(
    private readonly db: StationDatabase,
    private readonly clock: () => number = Date.now,
  ) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS allegro_orders (
        number INTEGER PRIMARY KEY,
        form_id TEXT NOT NULL UNIQUE,
        form TEXT,
        updated_at TEXT,
        read_at TEXT,
        -- 1 once the order can change no more (final, gone): polls read only the others.
        settled INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX IF NOT EXISTS allegro_orders_in_play ON allegro_orders (settled, number);
      CREATE TABLE IF NOT EXISTS allegro_order_offers (offer_id TEXT PRIMARY KEY, line TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS allegro_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS allegro_offers (offer_id TEXT PRIMARY KEY, offer TEXT NOT NULL, read_at TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS allegro_label_commands (
        command_id TEXT PRIMARY KEY,
        number INTEGER NOT NULL,
        labels_type TEXT NOT NULL,
        parcel INTEGER NOT NULL,
        shipment_id TEXT,
        state TEXT NOT NULL,
        error TEXT,
        created_at TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS allegro_label_commands_order ON allegro_label_commands (number, parcel);
    `)
  }

  /** The station's number of a checkout form, made the first time the form is seen. */
  numberOf(formId: string): number {
    const row = this.db.prepare('SELECT number FROM allegro_orders WHERE form_id = ?').get(formId) as { number: number } | undefined
    if (row) return row.number
    const max = this.db.prepare('SELECT MAX(number) AS n FROM allegro_orders').get() as { n: number | null }
    const number = Math.max(FIRST_NUMBER, (max.n ?? 0) + 1)
    this.db.prepare('INSERT INTO allegro_orders (number, form_id) VALUES (?, ?)').run(number, formId)
    return number
  }

  /** The station's number of a form it has seen, or null. */
  knownNumber(formId: string): number | null {
    const row = this.db.prepare('SELECT number FROM allegro_orders WHERE form_id = ?').get(formId) as { number: number } | undefined
    return row?.number ?? null
  }

  formIdOf(number: number): string | null {
    const row = this.db.prepare('SELECT form_id FROM allegro_orders WHERE number = ?').get(number) as { form_id: string } | undefined
    return row?.form_id ?? null
  }

  /** Keeps the form as read (`settled` when its order can change no more), and the offers it names. */
  saveForm(form: CheckoutForm, settled = false): number {
    const number = this.numberOf(form.id)
    this.db.transaction(() => {
      this.db
        .prepare('UPDATE allegro_orders SET form = ?, updated_at = ?, read_at = ?, settled = ? WHERE number = ?')
        .run(JSON.stringify(form), form.updatedAt ?? null, new Date(this.clock()).toISOString(), settled ? 1 : 0, number)
      const offer = this.db.prepare('INSERT INTO allegro_order_offers (offer_id, line) VALUES (?, ?) ON CONFLICT(offer_id) DO NOTHING')
      for (const item of form.lineItems) offer.run(item.offer.id, JSON.stringify(item.offer))
    })()
    return number
  }

  /** The order can change no more (its parcel delivered or returned, its form gone). */
  settle(number: number): void {
    this.db.prepare('UPDATE allegro_orders SET settled = 1 WHERE number = ?').run(number)
  }

  /**
   * The forms whose orders may still change, with their numbers. Read back without validating
   * again: each was checked when it came from Allegro.
   */
  formsInPlay(): { number: number; form: CheckoutForm }[] {
    const rows = this.db.prepare('SELECT number, form FROM allegro_orders WHERE form IS NOT NULL AND settled = 0 ORDER BY number').all() as { number: number; form: string }[]
    return rows.map((row) => ({ number: row.number, form: JSON.parse(row.form) as CheckoutForm }))
  }

  /** An offer as an order line names it (id, name, external id), or null. */
  orderLineOffer(offerId: string): CheckoutForm['lineItems'][number]['offer'] | null {
    const row = this.db.prepare('SELECT line FROM allegro_order_offers WHERE offer_id = ?').get(offerId) as { line: string } | undefined
    return row ? (JSON.parse(row.line) as CheckoutForm['lineItems'][number]['offer']) : null
  }

  form(number: number): CheckoutForm | null {
    const row = this.db.prepare('SELECT form FROM allegro_orders WHERE number = ?').get(number) as { form: string | null } | undefined
    return row?.form ? (JSON.parse(row.form) as CheckoutForm) : null
  }

  get(key: string): string | null {
    const row = this.db.prepare('SELECT value FROM allegro_state WHERE key = ?').get(key) as { value: string } | undefined
    return row?.value ?? null
  }

  set(key: string, value: string | null): void {
    if (value === null) this.db.prepare('DELETE FROM allegro_state WHERE key = ?').run(key)
    else this.db.prepare('INSERT INTO allegro_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value)
  }

  tokens(): StoredTokens | null {
    const value = this.get('tokens')
    return value ? (JSON.parse(value) as StoredTokens) : null
  }

  saveTokens(tokens: StoredTokens | null): void {
    this.set('tokens', tokens ? JSON.stringify(tokens) : null)
  }

  offer(offerId: string): ProductOffer | null {
    const row = this.db.prepare('SELECT offer FROM allegro_offers WHERE offer_id = ?').get(offerId) as { offer: string } | undefined
    return row ? productOfferSchema.parse(JSON.parse(row.offer)) : null
  }

  saveOffer(offer: ProductOffer): void {
    this.db
      .prepare('INSERT INTO allegro_offers (offer_id, offer, read_at) VALUES (?, ?, ?) ON CONFLICT(offer_id) DO UPDATE SET offer = excluded.offer, read_at = excluded.read_at')
      .run(offer.id, JSON.stringify(offer), new Date(this.clock()).toISOString())
  }

  /** Every offer id the orders name. */
  offerIds(): string[] {
    return (this.db.prepare('SELECT offer_id FROM allegro_order_offers ORDER BY offer_id').all() as { offer_id: string }[]).map((row) => row.offer_id)
  }

  /** The label command of one parcel of an order, the latest first. */
  labelCommand(number: number, parcel: number): LabelCommand | null {
    const row = this.db
      .prepare("SELECT * FROM allegro_label_commands WHERE number = ? AND parcel = ? AND state != 'failed' ORDER BY created_at DESC LIMIT 1")
      .get(number, parcel) as LabelCommand | undefined
    return row ?? null
  }

  saveLabelCommand(command: LabelCommand): void {
    this.db
      .prepare(
        `INSERT INTO allegro_label_commands (command_id, number, labels_type, parcel, shipment_id, state, error, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(command_id) DO UPDATE SET shipment_id = excluded.shipment_id, state = excluded.state, error = excluded.error`,
      )
      .run(command.command_id, command.number, command.labels_type, command.parcel, command.shipment_id, command.state, command.error, new Date(this.clock()).toISOString())
  }

  /** The done label commands of an order, parcel by parcel. */
  doneLabelCommands(number: number): LabelCommand[] {
    return this.db.prepare("SELECT * FROM allegro_label_commands WHERE number = ? AND state = 'done' ORDER BY parcel").all(number) as LabelCommand[]
  }
}
