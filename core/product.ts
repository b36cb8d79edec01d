/**
 * Products as the marketplace's products API has them (`GET /v1/products/{id}` with its
 * `variants`), and as the warehouse catalogue keeps them. Order items carry only the seller's
 * SKU; barcodes, bin locations and case barcodes are the warehouse's own data.
 */

export interface MallMedia {
  url: string
  main: boolean
}

export interface MallVariant {
  id: string
  title: string
  /** EAN of the variant. */
  barcode: string | null
  price: number
  media: MallMedia[]
  parameters: Record<string, string>
}

export interface MallProduct {
  id: string
  title: string
  category_id: string
  brand_id: string | null
  barcode: string | null
  price: number
  vat: number
  media: MallMedia[]
  variants: MallVariant[]
  status: 'A' | 'N'
}

/** A code that stands for several units at once (a carton of six). */
export interface CaseBarcode {
  code: string
  units: number
}

/** One sellable unit the warehouse picks: a product without variants, or one variant. */
export interface CatalogueProduct {
  sku: string
  title: string
  /** Every code that means one unit of this SKU; the marketplace's EAN first. */
  barcodes: string[]
  case_barcodes: CaseBarcode[]
  photo_url: string | null
  /** Where it lies, aisle-rack-shelf, e.g. `B-04-2`; pick walks sort by it. */
  bin_location: string | null
}
