import { formatMallDateTime } from '#core/datetime.ts'
import { toBasicOrder, type BasicOrder, type OrderStatus } from '#core/order.ts'
import type { MallProduct, MallVariant } from '#core/product.ts'
import { badRequest, notFound } from './errors.ts'
import { renderProductPhoto } from './photos.ts'
import { paginate, parseListQuery, runListQuery, type Page, type RawQuery } from './query.ts'
import type { SeedProduct } from './seed.ts'
import type { SimulatorState } from './state.ts'
import type { Consignment } from './store.ts'

/** What a seller reads of the marketplace: orders, their counts, consignments, products and photos. */
export class Reading {
  private readonly photos = new Map<string, string>()

  constructor(private readonly state: SimulatorState) {}

  listOrders(query: RawQuery): Page<BasicOrder> {
    const parsed = parseListQuery(query)
    return runListQuery([...this.state.orders.values()].map(toBasicOrder), parsed)
  }

  /** `GET /v1/orders/unconfirmed` and `GET /v1/orders/{status}`: ids, or basic orders with `filter=basic`. */
  listIds(query: RawQuery, which: 'unconfirmed' | OrderStatus): Page<number | BasicOrder> {
    const parsed = parseListQuery(query, false)
    const filters =
      which === 'unconfirmed'
        ? [{ field: 'confirmed' as const, op: 'eq' as const, values: [false] }]
        : [{ field: 'status' as const, op: 'eq' as const, values: [which] }]
    const page = runListQuery([...this.state.orders.values()].map(toBasicOrder), { ...parsed, filters })
    return parsed.basic ? page : { ...page, data: page.data.map((order) => order.id) }
  }

  stats(query: RawQuery): Record<OrderStatus, number> {
    const raw = Array.isArray(query.days) ? query.days.at(-1) : query.days
    const days = raw === undefined || raw === '' ? 30 : Number(raw)
    if (!Number.isInteger(days) || days < 1 || days > 3650) {
      throw badRequest(`days must be a whole number of days from 1 to 3650, not “${String(raw)}”.`, { days: String(raw) })
    }
    const since = formatMallDateTime(this.state.now() - days * 24 * 60 * 60 * 1000)
    const counts: Record<OrderStatus, number> = {
      blocked: 0, open: 0, shipping: 0, shipped: 0, cancelled: 0, delivered: 0, lost: 0, returned: 0,
    }
    for (const order of this.state.orders.values()) {
      const created = order.blocked ?? order.open ?? order[order.status]
      if (order.test || created === null || created < since) continue
      counts[order.status]++
    }
    return counts
  }

  consignment(id: string): Omit<Consignment, 'barcodes'> {
    const order = this.state.getOrder(id)
    const consignment = this.state.consignments.get(order.id)
    if (!consignment) throw notFound('Consignment of order', order.id)
    const { barcodes: _barcodes, ...rest } = consignment
    return rest
  }

  listProducts(query: RawQuery, mediaBase: string): Page<Record<string, unknown>> {
    const parsed = parseListQuery({ page: query.page, page_size: query.page_size }, false)
    const products = this.mallProducts(mediaBase).map(({ id, title, category_id, price, status, variants }) => ({
      id, title, category_id, price, status, variants_count: variants.length,
    }))
    return paginate(products, parsed.page, parsed.pageSize)
  }

  getProduct(id: string, mediaBase: string): MallProduct {
    const product = this.mallProducts(mediaBase).find((p) => p.id === id)
    if (!product) throw notFound('Product', id)
    return product
  }

  /** The catalogue as MALL's products API shows it: variants grouped under their product. */
  private mallProducts(mediaBase: string): MallProduct[] {
    const media = (sku: string) => [{ url: `${mediaBase}/media/products/${encodeURIComponent(sku)}.svg`, main: true }]
    const byProduct = new Map<string, SeedProduct[]>()
    for (const product of this.state.catalogue) {
      const group = byProduct.get(product.product_id) ?? []
      group.push(product)
      byProduct.set(product.product_id, group)
    }
    return [...byProduct.entries()].map(([id, group]) => {
      const first = group[0] as SeedProduct
      const hasVariants = group.some((p) => p.sku !== id)
      const variants: MallVariant[] = hasVariants
        ? group.map((p) => ({
            id: p.sku,
            title: p.title,
            barcode: p.barcodes[0] ?? null,
            price: p.price,
            media: media(p.sku),
            parameters: p.parameters,
          }))
        : []
      return {
        id,
        title: hasVariants ? first.title.replace(/, size .*$/, '') : first.title,
        category_id: first.category_id,
        brand_id: null,
        barcode: hasVariants ? null : (first.barcodes[0] ?? null),
        price: first.price,
        vat: first.vat,
        media: media(first.sku),
        variants,
        status: 'A' as const,
      }
    })
  }

  /** The demo warehouse's own catalogue data (bins, extra and case barcodes), for the station's demo seed. */
  warehouseCatalogue(): readonly SeedProduct[] {
    return this.state.catalogue
  }

  /** The generated photo of a SKU, or null for an unknown one. */
  photo(sku: string): string | null {
    const cached = this.photos.get(sku)
    if (cached) return cached
    const product = this.state.productsBySku.get(sku)
    if (!product) return null
    const svg = renderProductPhoto({ sku, kind: product.kind, colour: product.colour, label: product.parameters.size })
    this.photos.set(sku, svg)
    return svg
  }
}
