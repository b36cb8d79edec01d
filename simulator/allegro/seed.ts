import { ean13 } from '#core/gtin.ts'
import type { ProductKind } from '../mall/photos.ts'
import { createRandom as createBaseRandom, type Random as BaseRandom } from '../common/random.ts'
import type { CheckoutForm, CheckoutFormStatus, LineItem, OrderEventType, PaymentType, Price, SeedOffer } from './wire.ts'

/**
 * Deterministic demo data for the simulated Allegro: the same seed and clock give the same shop.
 * One seller selling on allegro-pl, -cz, -sk and -hu (PLN, CZK, EUR, HUF), through one account.
 */

export const DEFAULT_SEED = 20261126

/** The shared seeded stream, with the hex digits and UUIDs Allegro's ids are made of. */
export interface Random extends BaseRandom {
  hex(length: number): string
  /** A version-4-shaped UUID drawn from this stream (deterministic, unlike crypto's). */
  uuid(): string
}

export function createRandom(seed: number): Random {
  const base = createBaseRandom(seed)
  const hex = (length: number) => Array.from({ length }, () => Math.floor(base.next() * 16).toString(16)).join('')
  return {
    ...base,
    hex,
    uuid: () => `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[Math.floor(base.next() * 4)]}${hex(3)}-${hex(12)}`,
  }
}

export function isoTime(ms: number): string {
  return new Date(ms).toISOString()
}

/** Allegro's amounts: a string with two decimals ("123.45"). */
export function amount(value: number): string {
  return (Math.round(value * 100) / 100).toFixed(2)
}

export interface MarketplaceSpec {
  id: 'allegro-pl' | 'allegro-cz' | 'allegro-sk' | 'allegro-hu'
  currency: 'PLN' | 'CZK' | 'EUR' | 'HUF'
  /** PLN → this currency, rounded as the seller prices there. */
  rate: number
  step: number
  countryCode: string
  language: string
}

export const MARKETPLACES: readonly MarketplaceSpec[] = [
  { id: 'allegro-pl', currency: 'PLN', rate: 1, step: 0.01, countryCode: 'PL', language: 'pl-PL' },
  { id: 'allegro-cz', currency: 'CZK', rate: 5.8, step: 1, countryCode: 'CZ', language: 'cs-CZ' },
  { id: 'allegro-sk', currency: 'EUR', rate: 0.235, step: 0.01, countryCode: 'SK', language: 'sk-SK' },
  { id: 'allegro-hu', currency: 'HUF', rate: 92, step: 10, countryCode: 'HU', language: 'hu-HU' },
]

export function marketplaceSpec(id: string): MarketplaceSpec {
  const spec = MARKETPLACES.find((m) => m.id === id)
  if (!spec) throw new Error(`Unknown marketplace ${id}`)
  return spec
}

/**
 * The delivery methods of the demo shop. `allegroDelivery` methods ship only through
 * "Wysyłam z Allegro" labels; the others with the seller's own carrier and a waybill.
 */
export interface DeliveryMethodSpec {
  id: string
  name: string
  marketplace: MarketplaceSpec['id']
  pickupPoint: boolean
  cod: boolean
  allegroDelivery: boolean
  costPln: number
}

export const DELIVERY_METHODS: readonly DeliveryMethodSpec[] = [
  { id: 'b20ef9e1-faa2-4f25-9032-adcfb4b2d1a4', name: 'Allegro Paczkomaty InPost', marketplace: 'allegro-pl', pickupPoint: true, cod: false, allegroDelivery: true, costPln: 9.99 },
  { id: '2488f7b7-5d1c-4d65-b85c-4cbcf253fd93', name: 'Allegro Kurier DPD', marketplace: 'allegro-pl', pickupPoint: false, cod: false, allegroDelivery: true, costPln: 12.99 },
  { id: 'c3066682-97a3-42fe-9eb5-3beeccab840c', name: 'Kurier DPD pobranie', marketplace: 'allegro-pl', pickupPoint: false, cod: true, allegroDelivery: false, costPln: 19.99 },
  { id: '5d1b2b4c-4a43-4a6a-9f0c-2ed1e0e3d7c1', name: 'Allegro Zásilkovna - výdejní místo', marketplace: 'allegro-cz', pickupPoint: true, cod: false, allegroDelivery: true, costPln: 8.99 },
  { id: '7a3e6a55-1c1f-4b7e-8d55-0b9a2f2c1e11', name: 'PPL kurýr', marketplace: 'allegro-cz', pickupPoint: false, cod: false, allegroDelivery: false, costPln: 14.99 },
  { id: '7a3e6a55-1c1f-4b7e-8d55-0b9a2f2c1e12', name: 'PPL kurýr na dobírku', marketplace: 'allegro-cz', pickupPoint: false, cod: true, allegroDelivery: false, costPln: 19.99 },
  { id: '0f6d7c0e-2f51-4bb4-a0a4-6a5b5a9e7e21', name: 'Allegro Packeta - výdajné miesto', marketplace: 'allegro-sk', pickupPoint: true, cod: false, allegroDelivery: true, costPln: 9.99 },
  { id: '0f6d7c0e-2f51-4bb4-a0a4-6a5b5a9e7e22', name: 'DPD kuriér na dobierku', marketplace: 'allegro-sk', pickupPoint: false, cod: true, allegroDelivery: false, costPln: 17.99 },
  { id: '9c1d8e3a-6b7f-4e2a-b1c4-3d5e7f9a1b31', name: 'Allegro Foxpost csomagautomata', marketplace: 'allegro-hu', pickupPoint: true, cod: false, allegroDelivery: true, costPln: 8.99 },
  { id: '9c1d8e3a-6b7f-4e2a-b1c4-3d5e7f9a1b32', name: 'GLS futár utánvéttel', marketplace: 'allegro-hu', pickupPoint: false, cod: true, allegroDelivery: false, costPln: 18.99 },
]

/** Carriers of `GET /order/carriers` (ids as Allegro names them; the spec's example lists POCZTA_POLSKA, DHL, YUN_EXPRESS, OTHER). */
export const CARRIERS: readonly { id: string; name?: string }[] = [
  { id: 'ALLEGRO', name: 'Allegro' },
  { id: 'DHL', name: 'DHL' },
  { id: 'DPD', name: 'DPD' },
  { id: 'GLS', name: 'GLS' },
  { id: 'INPOST', name: 'InPost' },
  { id: 'POCZTA_POLSKA', name: 'Poczta Polska' },
  { id: 'PPL', name: 'PPL' },
  { id: 'CESKA_POSTA', name: 'Česká pošta' },
  { id: 'PACKETA', name: 'Packeta' },
  { id: 'SLOVENSKA_POSTA', name: 'Slovenská pošta' },
  { id: 'MAGYAR_POSTA', name: 'Magyar Posta' },
  { id: 'UPS', name: 'UPS' },
  { id: 'YUN_EXPRESS', name: 'Yun Express' },
  { id: 'OTHER' },
]

const CATALOGUE: readonly { name: string; kind: ProductKind; colour: string; pln: number }[] = [
  { name: 'Kubek ceramiczny 350 ml, turkusowy', kind: 'mug', colour: '#1f7a8c', pln: 29.99 },
  { name: 'Czajnik elektryczny 1,7 l', kind: 'kettle', colour: '#c0392b', pln: 119 },
  { name: 'Butelka termiczna 750 ml', kind: 'bottle', colour: '#2e86de', pln: 59.9 },
  { name: 'Pudełko prezentowe kraft', kind: 'box', colour: '#b07d48', pln: 14.5 },
  { name: 'Trampki płócienne, rozmiar 42', kind: 'shoe', colour: '#34495e', pln: 149 },
  { name: 'Koszulka bawełniana M, zielona', kind: 't-shirt', colour: '#27ae60', pln: 39.99 },
  { name: 'Lampka biurkowa LED', kind: 'lamp', colour: '#f1c40f', pln: 89 },
  { name: 'Słuchawki nauszne bezprzewodowe', kind: 'headphones', colour: '#2c3e50', pln: 199 },
  { name: 'Plecak miejski 20 l', kind: 'backpack', colour: '#8e44ad', pln: 129 },
  { name: 'Doniczka ceramiczna 14 cm', kind: 'plant-pot', colour: '#e67e22', pln: 24.99 },
  { name: 'Piłka do siatkówki', kind: 'ball', colour: '#e74c3c', pln: 69 },
  { name: 'Zegarek na rękę, stalowy', kind: 'watch', colour: '#7f8c8d', pln: 249 },
  { name: 'Samochodzik resorak', kind: 'toy-car', colour: '#d35400', pln: 19.99 },
  { name: 'Świeca zapachowa wanilia', kind: 'candle', colour: '#f5cba7', pln: 34.99 },
  { name: 'Czapka z daszkiem, granatowa', kind: 'cap', colour: '#1b2631', pln: 44.99 },
  { name: 'Ręcznik kąpielowy 70×140', kind: 'towel', colour: '#5dade2', pln: 54.99 },
]

/** The seller's offers; offer ids are Allegro's long numbers, the SKU is `external.id`. */
export function buildOffers(seed = DEFAULT_SEED): SeedOffer[] {
  const random = createRandom(seed ^ 0x0ff3)
  return CATALOGUE.map((entry, index) => {
    const prices: Record<string, string> = {}
    for (const m of MARKETPLACES) prices[m.currency] = amount(Math.max(m.step, Math.round((entry.pln * m.rate) / m.step) * m.step))
    return {
      id: String(17_504_300_001 + index * 37),
      name: entry.name,
      sku: `AL-${entry.kind.toUpperCase()}-${String(index + 1).padStart(3, '0')}`,
      ean: ean13(`590${String(123_400_000 + index * 7919).padStart(9, '0')}`),
      productId: random.uuid(),
      kind: entry.kind,
      colour: entry.colour,
      prices,
      stock: random.int(3, 40),
      categoryId: String(random.int(1000, 99999)),
    }
  })
}

const PEOPLE: Record<MarketplaceSpec['id'], { first: string[]; last: string[]; streets: string[]; cities: [string, string][]; phone: string }> = {
  'allegro-pl': {
    first: ['Anna', 'Piotr', 'Katarzyna', 'Tomasz', 'Magdalena'],
    last: ['Nowak', 'Kowalski', 'Wiśniewska', 'Wójcik', 'Kamińska'],
    streets: ['ul. Długa 12', 'ul. Polna 3/5', 'al. Jana Pawła II 44', 'ul. Kwiatowa 8'],
    cities: [['Poznań', '61-001'], ['Kraków', '30-002'], ['Warszawa', '00-950'], ['Gdańsk', '80-001']],
    phone: '+48 600 100 200',
  },
  'allegro-cz': {
    first: ['Jana', 'Petr', 'Lucie', 'Tomáš', 'Eva'],
    last: ['Nováková', 'Svoboda', 'Dvořáková', 'Černý', 'Procházková'],
    streets: ['Vinohradská 12', 'Masarykova 3', 'Náměstí Míru 8', 'Palackého 44'],
    cities: [['Praha', '120 00'], ['Brno', '602 00'], ['Ostrava', '702 00'], ['Plzeň', '301 00']],
    phone: '+420 601 234 567',
  },
  'allegro-sk': {
    first: ['Mária', 'Ján', 'Zuzana', 'Peter', 'Katarína'],
    last: ['Horváthová', 'Kováč', 'Varga', 'Tóth', 'Nagyová'],
    streets: ['Obchodná 12', 'Hlavná 3', 'Štúrova 8', 'Mierová 44'],
    cities: [['Bratislava', '811 01'], ['Košice', '040 01'], ['Žilina', '010 01'], ['Nitra', '949 01']],
    phone: '+421 902 123 456',
  },
  'allegro-hu': {
    first: ['Eszter', 'Gábor', 'Zsófia', 'László', 'Anna'],
    last: ['Nagy', 'Kovács', 'Szabó', 'Horváth', 'Varga'],
    streets: ['Andrássy út 12', 'Fő utca 3', 'Petőfi Sándor utca 8', 'Kossuth Lajos tér 4'],
    cities: [['Budapest', '1061'], ['Debrecen', '4024'], ['Szeged', '6720'], ['Pécs', '7621']],
    phone: '+36 30 123 4567',
  },
}

/** What a new order is made of (seed and the control API's `POST /_sim/orders`). */
export interface OrderSpec {
  marketplace: MarketplaceSpec['id']
  status: CheckoutFormStatus
  cod: boolean
  allegroFulfillment: boolean
  /** The delivery method's id; one of the marketplace's that fits `cod` when absent. */
  deliveryMethodId?: string
  lines: { offer: SeedOffer; quantity: number }[]
  boughtAt: number
  buyerLogin?: string
}

/** The events an order made on its way to its status, oldest first. */
export function historyOf(status: CheckoutFormStatus): OrderEventType[] {
  if (status === 'BOUGHT') return ['BOUGHT']
  if (status === 'FILLED_IN') return ['BOUGHT', 'FILLED_IN']
  if (status === 'READY_FOR_PROCESSING') return ['BOUGHT', 'FILLED_IN', 'READY_FOR_PROCESSING']
  return ['BOUGHT', 'FILLED_IN', 'BUYER_CANCELLED']
}

export function methodsFor(marketplace: string): DeliveryMethodSpec[] {
  return DELIVERY_METHODS.filter((m) => m.marketplace === marketplace)
}

/** Builds a checkout form as Allegro answers it, from a spec. */
export function buildCheckoutForm(spec: OrderSpec, random: Random, now: number): CheckoutForm {
  const market = marketplaceSpec(spec.marketplace)
  const people = PEOPLE[spec.marketplace]
  const first = random.pick(people.first)
  const last = random.pick(people.last)
  const [city, zip] = random.pick(people.cities)
  const street = random.pick(people.streets)
  const login = spec.buyerLogin ?? `${first}_${last}${random.int(1, 99)}`.normalize('NFD').replace(/[^A-Za-z0-9_]/g, '').toLowerCase()
  const methods = methodsFor(spec.marketplace)
  const method =
    methods.find((m) => m.id === spec.deliveryMethodId) ??
    random.pick(methods.filter((m) => m.cod === spec.cod).length > 0 ? methods.filter((m) => m.cod === spec.cod) : methods)
  const boughtAt = isoTime(spec.boughtAt)
  const currency = market.currency
  const lineItems: LineItem[] = spec.lines.map(({ offer, quantity }) => ({
    id: random.uuid(),
    offer: { id: offer.id, name: offer.name, external: { id: offer.sku }, productSet: { products: [{ id: offer.productId, quantity: 1 }] } },
    quantity,
    originalPrice: { amount: offer.prices[currency] as string, currency },
    price: { amount: offer.prices[currency] as string, currency },
    selectedAdditionalServices: [],
    tax: { rate: null, subject: null, exemption: null },
    boughtAt,
  }))
  const deliveryCost: Price = { amount: amount(Math.max(market.step, Math.round((method.costPln * market.rate) / market.step) * market.step)), currency }
  const total = lineItems.reduce((sum, item) => sum + Number(item.price.amount) * item.quantity, Number(deliveryCost.amount))
  const paid = spec.status === 'READY_FOR_PROCESSING' && !spec.cod
  const address = { firstName: first, lastName: last, street, city, zipCode: zip, countryCode: market.countryCode, phoneNumber: people.phone }
  const day = 24 * 3600 * 1000
  const form: CheckoutForm = {
    id: random.uuid(),
    buyer: {
      id: String(random.int(10_000_000, 99_999_999)),
      // Allegro masks the buyer's address; shipments made through "Wysyłam z Allegro" are matched by it.
      email: `${random.hex(10)}+${random.hex(9)}@allegromail.pl`,
      login,
      firstName: first,
      lastName: last,
      guest: false,
      phoneNumber: people.phone,
      preferences: { language: market.language },
      address: { street, city, postCode: zip, countryCode: market.countryCode },
    },
    payment: {
      id: random.uuid(),
      type: spec.cod ? 'CASH_ON_DELIVERY' : (random.pick(['ONLINE', 'ONLINE', 'WIRE_TRANSFER']) as PaymentType),
      // Cash on delivery has no provider and nothing paid yet: the spec types them non-null, so they are left out.
      ...(paid ? { provider: 'P24', finishedAt: isoTime(spec.boughtAt + 4 * 60_000), paidAmount: { amount: amount(total), currency } } : {}),
    },
    status: spec.status,
    fulfillment: { status: 'NEW', shipmentSummary: { lineItemsSent: 'NONE' }, provider: { id: spec.allegroFulfillment ? 'ALLEGRO' : 'SELLER' } },
    delivery: {
      address,
      method: { id: method.id, name: method.name },
      ...(method.pickupPoint
        ? {
            pickupPoint: {
              id: `${market.countryCode}${random.int(100, 999)}${random.pick(['A', 'M', 'B'])}`,
              name: `${method.name.replace(/^Allegro /, '')} ${city} ${random.int(1, 60)}`,
              description: 'Przy wejściu do sklepu / at the shop entrance',
              address: { street: random.pick(people.streets), zipCode: zip, city, countryCode: market.countryCode },
            },
          }
        : {}),
      cost: deliveryCost,
      time: {
        from: isoTime(spec.boughtAt + 2 * day),
        to: isoTime(spec.boughtAt + 4 * day),
        dispatch: { from: isoTime(spec.boughtAt + day), to: isoTime(spec.boughtAt + 2 * day) },
      },
      smart: method.allegroDelivery && random.chance(0.5),
      calculatedNumberOfPackages: 1,
    },
    invoice: { required: random.chance(0.2) },
    lineItems,
    surcharges: [],
    marketplace: { id: spec.marketplace },
    summary: { totalToPay: { amount: amount(total), currency } },
    updatedAt: isoTime(Math.min(now, spec.boughtAt + 5 * 60_000)),
    revision: random.hex(8),
  }
  if (random.chance(0.25)) form.messageToSeller = 'Proszę o staranne zapakowanie.'
  return form
}

/** Picks one to three lines of distinct offers. */
export function pickLines(offers: readonly SeedOffer[], random: Random): OrderSpec['lines'] {
  const count = random.pick([1, 1, 1, 2, 2, 3])
  const chosen = new Set<SeedOffer>()
  while (chosen.size < count) chosen.add(random.pick(offers))
  return [...chosen].map((offer) => ({ offer, quantity: random.pick([1, 1, 1, 2, 3]) }))
}

/**
 * The demo orders: per marketplace, mostly READY_FOR_PROCESSING (prepaid and cash on delivery),
 * one FILLED_IN and one BOUGHT held back, and one fulfilled by Allegro itself.
 */
export function buildDemoSpecs(offers: readonly SeedOffer[], now: number, seed = DEFAULT_SEED): OrderSpec[] {
  const random = createRandom(seed)
  const specs: OrderSpec[] = []
  const plan: { status: CheckoutFormStatus; cod: boolean; allegroFulfillment: boolean }[] = [
    { status: 'READY_FOR_PROCESSING', cod: false, allegroFulfillment: false },
    { status: 'READY_FOR_PROCESSING', cod: false, allegroFulfillment: false },
    { status: 'READY_FOR_PROCESSING', cod: true, allegroFulfillment: false },
    { status: 'READY_FOR_PROCESSING', cod: false, allegroFulfillment: false },
    { status: 'READY_FOR_PROCESSING', cod: true, allegroFulfillment: false },
    { status: 'READY_FOR_PROCESSING', cod: false, allegroFulfillment: true },
    { status: 'FILLED_IN', cod: false, allegroFulfillment: false },
    { status: 'BOUGHT', cod: false, allegroFulfillment: false },
  ]
  for (const market of MARKETPLACES) {
    for (const entry of plan) {
      specs.push({ marketplace: market.id, ...entry, lines: pickLines(offers, random), boughtAt: now - random.int(20, 36 * 60) * 60_000 })
    }
  }
  return specs.sort((a, b) => a.boughtAt - b.boughtAt)
}
