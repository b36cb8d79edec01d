import type { Carrier } from './carriers'
import { isPickupPointDelivery, marketplaceOf, type Order } from './order'

/**
 * The marketplace's delivery methods as people read them. MALL sends a code (`dpdCz`,
 * `mallDeliveryPickup`) or a bare number in `delivery_method`; screens and papers show the
 * method's name and its carrier instead. This is the one list of them: the PWA, the station and
 * the simulator's demo shop all read it. A code not listed still reads as something sensible.
 */

export interface DeliveryMethod {
  /** The marketplace's `delivery_method`. */
  code: string
  /** What a packer or a customer reads, e.g. "DPD (home delivery)". */
  name: string
  /** The carrier's name, e.g. "DPD"; null when the code is not one we know. */
  carrier: string | null
  /**
   * Words that name this carrier in a warehouse's own carrier list (its id or its name), in
   * small letters without accents: "packeta" finds "Zásilkovna (Packeta)".
   */
  carrier_words: readonly string[]
  /** The parcel goes to a pickup point, not to the customer's door. */
  pickup_point: boolean
  /** MALL Delivery: MALL's labels and MALL's tracking. */
  mdp: boolean
}

export const MALL_DELIVERY_CARRIER = 'MALL Delivery'
export const ALLEGRO_DELIVERY_CARRIER = 'Allegro Delivery'

/**
 * The marketplace's own delivery service, whose labels the marketplace makes (`mdp` orders): MALL
 * Delivery, or Allegro Delivery ("Wysyłam z Allegro") for an order from one of Allegro's sites.
 */
export function marketplaceDeliveryName(order: Partial<Pick<Order, 'source'>>): string {
  return marketplaceOf(order) === 'allegro' ? ALLEGRO_DELIVERY_CARRIER : MALL_DELIVERY_CARRIER
}

type Entry = Omit<DeliveryMethod, 'code'>

const PPL: Pick<Entry, 'carrier' | 'carrier_words'> = { carrier: 'PPL', carrier_words: ['ppl'] }
const DPD: Pick<Entry, 'carrier' | 'carrier_words'> = { carrier: 'DPD', carrier_words: ['dpd'] }
const GLS: Pick<Entry, 'carrier' | 'carrier_words'> = { carrier: 'GLS', carrier_words: ['gls'] }
const POSTA: Pick<Entry, 'carrier' | 'carrier_words'> = { carrier: 'Česká pošta', carrier_words: ['ceska posta'] }
const ZASILKOVNA: Pick<Entry, 'carrier' | 'carrier_words'> = { carrier: 'Zásilkovna', carrier_words: ['zasilkovna', 'packeta'] }
const PACKETA: Pick<Entry, 'carrier' | 'carrier_words'> = { carrier: 'Packeta', carrier_words: ['packeta', 'zasilkovna'] }
const MALL: Pick<Entry, 'carrier' | 'carrier_words'> = { carrier: MALL_DELIVERY_CARRIER, carrier_words: ['mall delivery'] }

/**
 * `pplCz` is the contract's own sample and the simulator's demo shop uses `dpdCz`, `zasilkovnaCz`
 * and the two MALL Delivery codes; the rest follow the same pattern for carriers Czech and Slovak
 * warehouses hand parcels to. Bare numbers (`"20"`) are ids the marketplace gives each shop's
 * methods differently, so they are not listed: they read as "Delivery method 20".
 */
const METHODS: Record<string, Entry> = {
  pplCz: { ...PPL, name: 'PPL (home delivery)', pickup_point: false, mdp: false },
  pplParcelShopCz: { ...PPL, name: 'PPL ParcelShop pickup point', pickup_point: true, mdp: false },
  dpdCz: { ...DPD, name: 'DPD (home delivery)', pickup_point: false, mdp: false },
  dpdPickupCz: { ...DPD, name: 'DPD Pickup point', pickup_point: true, mdp: false },
  glsCz: { ...GLS, name: 'GLS (home delivery)', pickup_point: false, mdp: false },
  ceskaPostaCz: { ...POSTA, name: 'Česká pošta (home delivery)', pickup_point: false, mdp: false },
  balikovnaCz: { ...POSTA, name: 'Česká pošta Balíkovna pickup point', pickup_point: true, mdp: false },
  zasilkovnaCz: { ...ZASILKOVNA, name: 'Zásilkovna pickup point', pickup_point: true, mdp: false },
  zasilkovnaHomeCz: { ...ZASILKOVNA, name: 'Zásilkovna (home delivery)', pickup_point: false, mdp: false },
  packetaSk: { ...PACKETA, name: 'Packeta pickup point', pickup_point: true, mdp: false },
  mallDeliveryAddress: { ...MALL, name: 'MALL Delivery (home delivery)', pickup_point: false, mdp: true },
  mallDeliveryPickup: { ...MALL, name: 'MALL Delivery pickup point', pickup_point: true, mdp: true },
}

/** Every delivery method we know by code, in the list's order. */
export const DELIVERY_METHODS: readonly DeliveryMethod[] = Object.entries(METHODS).map(([code, entry]) => ({ code, ...entry }))

const byCode = new Map(DELIVERY_METHODS.map((method) => [method.code, method]))

const COUNTRIES = new Set(['cz', 'sk', 'hu', 'si', 'hr', 'pl', 'at', 'de', 'ro'])

/**
 * A code nobody listed, as words: `wedoHomeSk` reads "Wedo home (SK)", a bare id `20` reads
 * "Delivery method 20", a name with spaces stays as it is, so a new method the marketplace adds shows up readable, never as nothing.
 */
export function readableCode(code: string): string {
  const trimmed = code.trim()
  if (trimmed === '') return 'Delivery method not given'
  if (/^\d+$/.test(trimmed)) return `Delivery method ${trimmed}`
  // Already a name people read (Allegro sends its methods' names, "Kurier DPD pobranie"): as given.
  if (/\s/.test(trimmed)) return trimmed
  const words = trimmed
    .replace(/([a-z\d])([A-Z])/g, '$1 $2')
    .split(/[\s_-]+/)
    .filter(Boolean)
    // An abbreviation stays as written ("DPD"); other words go small, as in a sentence.
    .map((word) => (word.length > 1 && word === word.toUpperCase() && /[A-Z]/.test(word) ? word : word.toLowerCase()))
  const last = words.at(-1)
  const country = words.length > 1 && last && COUNTRIES.has(last.toLowerCase()) ? words.pop()?.toUpperCase() : undefined
  const text = words.join(' ')
  const sentence = text.charAt(0).toUpperCase() + text.slice(1)
  return country ? `${sentence} (${country})` : sentence
}

/** The delivery method of a code; a code not listed gets a readable name and no carrier. */
export function deliveryMethod(code: string): DeliveryMethod {
  return (
    byCode.get(code.trim()) ?? { code, name: readableCode(code), carrier: null, carrier_words: [], pickup_point: false, mdp: false }
  )
}

/**
 * An order's delivery method. For a code not listed, what the order itself says stands: MALL
 * Delivery from `mdp`, a pickup point from its branch.
 */
export function deliveryMethodOf(order: Pick<Order, 'delivery_method' | 'mdp' | 'branch_id' | 'branches'> & Partial<Pick<Order, 'source'>>): DeliveryMethod {
  const method = deliveryMethod(order.delivery_method)
  if (byCode.has(order.delivery_method.trim())) return method
  return { ...method, carrier: order.mdp ? marketplaceDeliveryName(order) : null, mdp: order.mdp, pickup_point: isPickupPointDelivery(order) }
}

/** Small letters, no accents, one space between words: how carrier names are compared. */
function words(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
}

/**
 * The warehouse's own carrier that carries this method (its id or name names the method's
 * carrier), or null when none does: never another carrier than the method's.
 */
export function carrierForMethod<C extends Pick<Carrier, 'id' | 'name'>>(method: DeliveryMethod, carriers: readonly C[]): C | null {
  if (method.carrier_words.length === 0) return null
  return (
    carriers.find((carrier) => {
      const said = ` ${words(carrier.id)} ${words(carrier.name)} `
      return method.carrier_words.some((word) => said.includes(` ${word} `))
    }) ?? null
  )
}

/**
 * How an order goes, in one line for screens: the method's name and, for a pickup point, its
 * number ("Zásilkovna pickup point 4711", "Delivery method 20, pickup point 4711").
 */
export function deliveryLine(order: Pick<Order, 'delivery_method' | 'mdp' | 'branch_id' | 'branches'>): string {
  const { name } = deliveryMethodOf(order)
  if (!isPickupPointDelivery(order)) return name
  const point = order.branches.secondary_branch_id ?? order.branches.branch_id ?? order.branch_id
  return /pickup point$/i.test(name) ? `${name} ${point}` : `${name}, pickup point ${point}`
}

/**
 * The carrier offered first when an order is handed over: the warehouse's carrier for the order's
 * method; for a method we do not know, the one used last (or the first). A method whose carrier the
 * warehouse has not set up gets no carrier at all (null): the packer picks one, rather than the
 * parcel going out under another carrier's tracking link.
 */
export function defaultCarrierFor<C extends Pick<Carrier, 'id' | 'name'>>(method: DeliveryMethod, carriers: readonly C[], lastUsedId: string | null): C | null {
  if (method.carrier !== null) return carrierForMethod(method, carriers)
  return carriers.find((carrier) => carrier.id === lastUsedId) ?? carriers[0] ?? null
}
