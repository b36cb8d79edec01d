import { codForUnpaidOrder } from '#core/cod.ts'
import { formatMallDate, formatMallDateTime } from '#core/datetime.ts'
import { deliveryMethod } from '#core/delivery-methods.ts'
import { ean13, gtinCheckDigit } from '#core/gtin.ts'
import type { Customer, Order, OrderItem, OrderStatus } from '#core/order.ts'
import type { CaseBarcode } from '#core/product.ts'
import { createRandom, type Random } from '../common/random.ts'
import type { ProductKind } from './photos.ts'

/**
 * Deterministic demo data: the same seed and clock give the same shop every time. The catalogue
 * carries both what the marketplace knows (SKU, title, EAN, photo) and what only the warehouse
 * knows (bin location, extra and case barcodes), which the station seeds in demo mode.
 */

export interface SeedProduct {
  sku: string
  /** The marketplace product this SKU belongs to; equal to `sku` when it has no variants. */
  product_id: string
  title: string
  kind: ProductKind
  colour: string
  price: number
  vat: number
  article_id: number
  category_id: string
  /** Variant parameters (size, colour) when the SKU is a variant. */
  parameters: Record<string, string>
  /** The marketplace's EAN first, then any other code printed on the goods. */
  barcodes: string[]
  case_barcodes: CaseBarcode[]
  bin_location: string
}

export const DEFAULT_SEED = 20261122

type ProductLine = [title: string, kind: ProductKind, colour: string, price: number, category: string]

const PRODUCT_LINES: readonly ProductLine[] = [
  ['Ceramic mug 350 ml', 'mug', '#c0392b', 189, 'kitchen'],
  ['Espresso cup set 4 pcs', 'mug', '#2c3e50', 349, 'kitchen'],
  ['Travel mug stainless 450 ml', 'mug', '#16a085', 399, 'kitchen'],
  ['Electric kettle 1.7 l', 'kettle', '#7f8c8d', 999, 'kitchen'],
  ['Glass kettle with LED 1.5 l', 'kettle', '#2980b9', 1290, 'kitchen'],
  ['Water bottle 750 ml', 'bottle', '#27ae60', 299, 'sport'],
  ['Insulated bottle 500 ml', 'bottle', '#8e44ad', 549, 'sport'],
  ['Descaler 250 ml', 'bottle', '#f1c40f', 129, 'household'],
  ['Gift box kraft M', 'box', '#d35400', 79, 'household'],
  ['Storage box with lid 20 l', 'box', '#34495e', 259, 'household'],
  ['Running shoes Aero', 'shoe', '#e74c3c', 2190, 'fashion'],
  ['Trail shoes Grip', 'shoe', '#2d3436', 2590, 'fashion'],
  ['Cotton T-shirt basic', 't-shirt', '#0984e3', 299, 'fashion'],
  ['Organic T-shirt print', 't-shirt', '#00b894', 449, 'fashion'],
  ['Notebook A5 dotted', 'book', '#6c5ce7', 159, 'office'],
  ['Cookbook Everyday Soups', 'book', '#e17055', 499, 'books'],
  ['Desk lamp LED', 'lamp', '#636e72', 890, 'home'],
  ['Bedside lamp linen', 'lamp', '#fdcb6e', 690, 'home'],
  ['Wireless headphones', 'headphones', '#2d3436', 1790, 'electronics'],
  ['Kids headphones', 'headphones', '#fd79a8', 590, 'electronics'],
  ['City backpack 20 l', 'backpack', '#0c2461', 1190, 'fashion'],
  ['School backpack', 'backpack', '#e58e26', 990, 'fashion'],
  ['Ceramic plant pot 14 cm', 'plant-pot', '#78e08f', 249, 'garden'],
  ['Herb planter trio', 'plant-pot', '#b8e994', 399, 'garden'],
  ['Football size 5', 'ball', '#f8c291', 490, 'sport'],
  ['Yoga ball 65 cm', 'ball', '#82ccdd', 399, 'sport'],
  ['Phone case clear', 'phone', '#60a3bc', 199, 'electronics'],
  ['Smartphone stand', 'phone', '#4a69bd', 249, 'electronics'],
  ['Sports watch', 'watch', '#1e3799', 2490, 'electronics'],
  ['Kids watch', 'watch', '#e55039', 690, 'electronics'],
  ['Toy car rally', 'toy-car', '#eb2f06', 349, 'toys'],
  ['Toy truck', 'toy-car', '#fa983a', 459, 'toys'],
  ['Tomatoes in tin 400 g', 'tin-can', '#b71540', 39, 'food'],
  ['Coconut milk 400 ml', 'tin-can', '#f6b93b', 59, 'food'],
  ['Honey jar 500 g', 'jar', '#e1b12c', 189, 'food'],
  ['Jam apricot 340 g', 'jar', '#ff7f50', 89, 'food'],
  ['Scented candle vanilla', 'candle', '#fff3b0', 229, 'home'],
  ['Tea light candles 30 pcs', 'candle', '#dfe6e9', 99, 'home'],
  ['Baseball cap', 'cap', '#273c75', 349, 'fashion'],
  ['Winter beanie', 'cap', '#c23616', 299, 'fashion'],
  ['Merino socks', 'socks', '#718093', 279, 'fashion'],
  ['Cotton socks 3 pairs', 'socks', '#e84118', 199, 'fashion'],
  ['Bath towel 70×140', 'towel', '#00a8ff', 459, 'home'],
  ['Kitchen towels 2 pcs', 'towel', '#9c88ff', 149, 'kitchen'],
  ['Kitchen scissors', 'scissors', '#353b48', 219, 'kitchen'],
  ['Tailor scissors', 'scissors', '#487eb0', 389, 'household'],
  ['Folding umbrella', 'umbrella', '#8c7ae6', 399, 'fashion'],
  ['Golf umbrella', 'umbrella', '#44bd32', 690, 'fashion'],
  ['Frying pan 28 cm', 'frying-pan', '#2f3640', 790, 'kitchen'],
  ['Crepe pan 24 cm', 'frying-pan', '#c44569', 590, 'kitchen'],
  ['Salad bowl bamboo', 'jar', '#cc8e35', 329, 'kitchen'],
  ['Cereal bowls 4 pcs', 'jar', '#574b90', 299, 'kitchen'],
  ['Wall clock', 'watch', '#303952', 590, 'home'],
  ['Alarm clock retro', 'watch', '#e66767', 449, 'home'],
  ['Cushion cover 45×45', 'towel', '#f19066', 199, 'home'],
  ['Memory foam pillow', 'towel', '#778beb', 890, 'home'],
  ['USB-C charger 30 W', 'phone', '#f5f6fa', 490, 'electronics'],
  ['Power bank 10000 mAh', 'phone', '#2f3542', 690, 'electronics'],
  ['Dog toy rope', 'ball', '#ff6348', 149, 'pets'],
  ['Cat scratcher', 'ball', '#a4b0be', 299, 'pets'],
  ['Puzzle 1000 pcs', 'box', '#1289a7', 399, 'toys'],
  ['Board game Harbour', 'box', '#c4e538', 899, 'toys'],
]

/** Products sold in sizes: each size is a variant with its own SKU and EAN. */
const VARIANT_PRODUCTS: Readonly<Record<string, readonly string[]>> = {
  'Running shoes Aero': ['41', '42', '43', '44'],
  'Cotton T-shirt basic': ['S', 'M', 'L', 'XL'],
  'Merino socks': ['39-42', '43-46'],
}

/** Goods that also come in cartons with a code of their own (a GTIN-14 for the carton). */
const CASE_PRODUCTS: Readonly<Record<string, number>> = {
  'Tomatoes in tin 400 g': 12,
  'Coconut milk 400 ml': 6,
  'Tea light candles 30 pcs': 10,
  'Gift box kraft M': 20,
  'Jam apricot 340 g': 6,
}

function skuFor(title: string, index: number): string {
  // A few sellers number their goods; MALL's client types such item ids as integers, so keep some.
  if (index % 11 === 4) return String(100200 + index * 7)
  const words = title
    .normalize('NFD')
    .replace(/[^A-Za-z0-9 ]/g, '')
    .toUpperCase()
    .split(' ')
    .filter(Boolean)
  return `${words.slice(0, 2).map((w) => w.slice(0, 4)).join('-')}-${String(index + 1).padStart(3, '0')}`
}

function caseCode(ean: string): string {
  const body = `1${ean.slice(0, 12)}`
  return body + String(gtinCheckDigit(body))
}

export function buildCatalogue(seed = DEFAULT_SEED): SeedProduct[] {
  const random = createRandom(seed ^ 0x5eed)
  const products: SeedProduct[] = []
  let eanCounter = 10_000
  const nextEan = (): string => ean13(`8590${String(++eanCounter * 7 + random.int(0, 6)).padStart(8, '0')}`)
  PRODUCT_LINES.forEach(([title, kind, colour, price, category], index) => {
    const productId = skuFor(title, index)
    const aisle = String.fromCharCode(65 + (index % 6))
    const rack = String(1 + Math.floor(index / 6)).padStart(2, '0')
    const sizes = VARIANT_PRODUCTS[title]
    const units = sizes ?? [null]
    units.forEach((size, sizeIndex) => {
      const ean = nextEan()
      const barcodes = [ean]
      // Some goods carry a second EAN (an older packaging run still on the shelf).
      if (random.chance(0.12)) barcodes.push(nextEan())
      const caseUnits = CASE_PRODUCTS[title]
      products.push({
        sku: size === null ? productId : `${productId}-${size.replace(/[^A-Z0-9]/gi, '')}`,
        product_id: productId,
        title: size === null ? title : `${title}, size ${size}`,
        kind,
        colour,
        price,
        vat: category === 'food' || category === 'books' ? 12 : 21,
        article_id: 100_001_000_000 + index * 1000 + sizeIndex,
        category_id: category,
        parameters: size === null ? {} : { size },
        barcodes,
        case_barcodes: caseUnits ? [{ code: caseCode(ean), units: caseUnits }] : [],
        bin_location: `${aisle}-${rack}-${1 + ((index + sizeIndex) % 4)}`,
      })
    })
  })
  return products
}

const FIRST_NAMES = ['Jana', 'Petr', 'Eva', 'Tomáš', 'Lucie', 'Martin', 'Kateřina', 'Jiří', 'Anna', 'Ondřej', 'Zuzana', 'Lukáš', 'Tereza', 'Jakub', 'Veronika', 'Marek', 'Barbora', 'Michal', 'Klára', 'David']
const LAST_NAMES = [['Nováková', 'Novák'], ['Svobodová', 'Svoboda'], ['Dvořáková', 'Dvořák'], ['Černá', 'Černý'], ['Procházková', 'Procházka'], ['Kučerová', 'Kučera'], ['Veselá', 'Veselý'], ['Horáková', 'Horák'], ['Němcová', 'Němec'], ['Marková', 'Marek'], ['Pokorná', 'Pokorný'], ['Růžičková', 'Růžička']] as const
const FEMALE = new Set(['Jana', 'Eva', 'Lucie', 'Kateřina', 'Anna', 'Zuzana', 'Tereza', 'Veronika', 'Barbora', 'Klára'])
const CITIES = [
  ['Praha 4', '14000', 'Na Pankráci'],
  ['Brno', '60200', 'Dlouhá'],
  ['Ostrava', '70200', 'Nádražní'],
  ['Plzeň', '30100', 'Americká'],
  ['Olomouc', '77900', 'Třída Svobody'],
  ['Liberec', '46001', 'Masarykova'],
  ['České Budějovice', '37001', 'Lannova'],
  ['Hradec Králové', '50002', 'Gočárova'],
  ['Pardubice', '53002', 'Palackého'],
  ['Zlín', '76001', 'Štefánikova'],
] as const
const SK_CITIES = [
  ['Bratislava', '81101', 'Obchodná'],
  ['Košice', '04001', 'Hlavná'],
  ['Žilina', '01001', 'Národná'],
] as const

/**
 * The delivery methods the demo shop offers, with the `delivery_method_id` its account gives each;
 * what a method is (MALL Delivery, pickup point) comes from the shared table.
 */
const SHOP_METHOD_IDS: readonly [code: string, id: number][] = [
  ['pplCz', 10],
  ['dpdCz', 11],
  ['zasilkovnaCz', 21],
  ['mallDeliveryAddress', 20],
  ['mallDeliveryPickup', 23],
]

const DELIVERY_METHODS = SHOP_METHOD_IDS.map(([code, id]) => {
  const method = deliveryMethod(code)
  return { code, id, mdp: method.mdp, pickup: method.pickup_point }
})

/** What the status list of the demo shop looks like: mostly open work, every status present. */
const STATUS_PLAN: readonly [OrderStatus, number][] = [
  ['open', 96],
  ['blocked', 8],
  ['shipping', 16],
  ['shipped', 22],
  ['delivered', 18],
  ['returned', 5],
  ['cancelled', 11],
  ['lost', 2],
]

const HOUR = 60 * 60 * 1000
const DAY = 24 * HOUR

export interface OrderSpec {
  id: number
  status: OrderStatus
  /** When the order was created (entered blocked). */
  createdAt: number
  /** When it entered its current status. */
  statusAt: number
  items: { product: SeedProduct; quantity: number }[]
  cod: boolean
  mdp: boolean
  pickup: boolean
  test: boolean
  discount: number
  market: 'cz' | 'sk'
}

/** Builds a full marketplace order from a plan, with every key the real API sends. */
export function buildOrder(spec: OrderSpec, random: Random): Order {
  const methods = DELIVERY_METHODS.filter((m) => m.mdp === spec.mdp && m.pickup === spec.pickup)
  const method = random.pick(methods.length > 0 ? methods : DELIVERY_METHODS)
  const first = random.pick(FIRST_NAMES)
  const last = random.pick(LAST_NAMES)[FEMALE.has(first) ? 0 : 1]
  const [city, zip, street] = spec.market === 'sk' ? random.pick(SK_CITIES) : random.pick(CITIES)
  const customerId = 1_100_000_000 + random.int(0, 8_999_999)
  const currency = spec.market === 'sk' ? 'EUR' : 'CZK'
  const rate = spec.market === 'sk' ? 1 / 25 : 1
  const money = (czk: number): number => (rate === 1 ? czk : Math.round(czk * rate * 100) / 100)
  const items: OrderItem[] = spec.items.map(({ product, quantity }) => ({
    id: product.sku,
    article_id: product.article_id,
    title: product.title,
    quantity,
    price: money(product.price),
    vat: product.vat,
    commission: 12,
    serial_numbers: [],
  }))
  const address: Customer = {
    customer_id: customerId,
    name: `${first} ${last}`,
    company: random.chance(0.08) ? `${last} s.r.o.` : null,
    phone: spec.market === 'sk' ? `+4219${random.int(10_000_000, 99_999_999)}` : `+420${random.int(600_000_000, 799_999_999)}`,
    email: `${first}.${last}`.normalize('NFD').replace(/[^A-Za-z.]/g, '').toLowerCase() + '@example.cz',
    street: `${street} ${random.int(1, 120)}`,
    city,
    zip,
    country: spec.market === 'sk' ? 'SK' : 'CZ',
  }
  const deliveryPrice = spec.mdp ? money(69) : money(random.pick([0, 79, 89, 99]))
  const codPrice = spec.cod ? money(random.pick([29, 35, 39])) : 0
  const partial = { items, delivery_price: deliveryPrice, cod_price: codPrice, discount: money(spec.discount) }
  const cod = spec.cod ? codForUnpaidOrder(partial) : 0
  const branchId = spec.pickup ? random.int(1000, 9999) : null
  const timestamps = statusTimeline(spec, random)
  const order: Order = {
    id: spec.id,
    external_id: uuid(random),
    purchase_id: Math.floor(spec.id / 100),
    source: spec.market === 'sk' ? 'mallSk' : 'mallCz',
    customer_id: customerId,
    customer: address.name,
    cod,
    // The letters are undocumented; a few prepaid orders carry B so nobody trusts payment_type.
    payment_type: spec.cod || random.chance(0.1) ? 'B' : 'A',
    ship_date: formatMallDate(spec.createdAt + 2 * DAY),
    tracking_number: null,
    tracking_url: null,
    delivered_at: null,
    status: spec.status,
    confirmed: spec.status !== 'open' && spec.status !== 'blocked' && spec.status !== 'cancelled' && spec.status !== 'lost',
    test: spec.test,
    mdp: spec.mdp,
    mdp_classic: spec.mdp,
    mdp_spectrum: false,
    ...timestamps,
    external_order_id: 0,
    currency,
    delivery_price: deliveryPrice,
    cod_price: codPrice,
    discount: money(spec.discount),
    delivery_method: method.code,
    delivery_method_id: method.id,
    branch_id: branchId,
    branches: { branch_id: branchId, secondary_branch_id: null, overridden: false, last_change: null },
    delivery_date: formatMallDate(spec.createdAt + 3 * DAY),
    first_delivery_attempt: null,
    address,
    items,
    ready_to_return: false,
    ulozenka_status_history: [],
    consignment_status_history: [],
  }
  if (['shipped', 'delivered', 'returned', 'lost'].includes(spec.status)) {
    const number = spec.mdp ? `14IS${String(spec.id).slice(-8)}` : `${method.code.slice(0, 3).toUpperCase()}${String(spec.id).slice(-9)}`
    order.tracking_number = number
    order.tracking_url = trackingUrlFor(method.code, number)
  }
  if (spec.status === 'delivered') {
    order.delivered_at = order.delivered
    order.first_delivery_attempt = order.delivered
  }
  if (spec.status === 'open' && random.chance(0.15)) order.confirmed = true
  return order
}

export function trackingUrlFor(methodCode: string, trackingNumber: string): string {
  if (methodCode.startsWith('mallDelivery')) return `https://tracking.mall-delivery.example/parcel/${trackingNumber}`
  return `https://tracking.${methodCode.toLowerCase()}.example/${trackingNumber}`
}

function statusTimeline(spec: OrderSpec, random: Random): Record<OrderStatus, string | null> {
  const at = (ms: number): string => formatMallDateTime(ms)
  const t: Record<OrderStatus, string | null> = {
    blocked: null, open: null, shipping: null, shipped: null, delivered: null, returned: null, cancelled: null, lost: null,
  }
  const prepaidPath = !spec.cod && !spec.test
  // Prepaid orders wait in blocked for payment; COD and test orders open at once.
  const openAt = prepaidPath ? spec.createdAt + random.int(2, 40) * 60_000 : spec.createdAt
  if (prepaidPath || spec.status === 'blocked') t.blocked = at(spec.createdAt)
  if (spec.status === 'blocked') return t
  if (spec.status === 'cancelled' && prepaidPath && random.chance(0.3)) {
    t.cancelled = at(spec.statusAt)
    return t
  }
  t.open = at(spec.status === 'open' ? spec.statusAt : Math.min(openAt, spec.statusAt))
  const chain: OrderStatus[] = (() => {
    switch (spec.status) {
      case 'open':
        return []
      case 'shipping':
        return ['shipping']
      case 'shipped':
        return ['shipping', 'shipped']
      case 'delivered':
      case 'returned':
      case 'lost':
        return ['shipping', 'shipped', spec.status]
      case 'cancelled':
        return random.chance(0.5) ? ['cancelled'] : ['shipping', 'cancelled']
      default:
        return []
    }
  })()
  const steps = chain.length
  chain.forEach((status, i) => {
    const fraction = (i + 1) / steps
    const openMs = Math.min(openAt, spec.statusAt)
    t[status] = at(i === steps - 1 ? spec.statusAt : openMs + (spec.statusAt - openMs) * fraction * 0.8)
  })
  return t
}

function uuid(random: Random): string {
  const hex = (n: number): string =>
    Array.from({ length: n }, () => random.int(0, 15).toString(16)).join('')
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${random.pick(['8', '9', 'a', 'b'])}${hex(3)}-${hex(12)}`
}

/** The first id of the demo shop; MALL order ids are 64-bit and exceed 32 bits. */
export const FIRST_ORDER_ID = 10_085_339_302

/** Picks lines for an order: mostly one or two SKUs, sometimes several units of one. */
export function pickLines(catalogue: readonly SeedProduct[], random: Random): OrderSpec['items'] {
  const lineCount = random.pick([1, 1, 1, 2, 2, 2, 3, 4])
  const lines: OrderSpec['items'] = []
  const used = new Set<string>()
  while (lines.length < lineCount) {
    const product = random.pick(catalogue)
    if (used.has(product.sku)) continue
    used.add(product.sku)
    const quantity = product.case_barcodes.length > 0 && random.chance(0.4) ? random.pick([6, 12, 24]) : random.pick([1, 1, 1, 1, 2, 3])
    lines.push({ product, quantity })
  }
  return lines
}

/**
 * The demo shop's orders at `now`: at least 150, across every status, most of them open; COD and
 * prepaid, MALL Delivery and own carrier, pickup points, discounts, several units per line, test
 * orders, and a few whose status has not moved for more than seven days.
 */
export function buildDemoOrders(catalogue: readonly SeedProduct[], now: number, seed = DEFAULT_SEED): Order[] {
  const random = createRandom(seed)
  const orders: Order[] = []
  let id = FIRST_ORDER_ID
  let stale = 0
  for (const [status, count] of STATUS_PLAN) {
    for (let i = 0; i < count; i++) {
      id += random.int(3, 977)
      const mdp = status === 'lost' ? true : random.chance(0.35)
      const cod = status === 'blocked' ? false : random.chance(0.45)
      const test = status === 'open' && i % 24 === 5
      // A handful of live orders have sat in their status for over a week: MALL's "missing state".
      const isStale = (status === 'open' || status === 'shipping' || status === 'shipped') && i % 9 === 1 && stale < 6
      if (isStale) stale++
      const age =
        status === 'open' && !isStale
          ? random.int(5, 36 * 60) * 60_000
          : isStale
            ? random.int(8, 12) * DAY + random.int(0, 20) * HOUR
            : random.int(1, 6) * DAY + random.int(0, 23) * HOUR
      const statusAt = now - age
      const createdAt = statusAt - (status === 'open' || status === 'blocked' ? random.int(1, 30) * 60_000 : random.int(1, 3) * DAY)
      orders.push(
        buildOrder(
          {
            id,
            status,
            createdAt,
            statusAt,
            items: pickLines(catalogue, random),
            cod,
            mdp,
            pickup: random.chance(0.3),
            test,
            discount: random.chance(0.2) ? random.pick([50, 100, 150, 200]) : 0,
            market: random.chance(0.12) ? 'sk' : 'cz',
          },
          random,
        ),
      )
    }
  }
  return orders
}
