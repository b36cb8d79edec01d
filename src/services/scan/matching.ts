import { isValidGtin } from '#core/gtin.ts'
import type { OrderStatus } from '#core/order.ts'
import type { CatalogueProduct } from '#core/product.ts'
import { phrase, type Phrase } from '@/i18n/phrase'

/**
 * Scan matching: what a scanned code means for the order being packed. Every outcome a packer
 * sees comes with one sentence (a phrase of the catalogue, `scan.*`); a wrong scan never changes
 * what was picked.
 */

/**
 * The form codes are compared in: GTINs (EAN-13, EAN-8, UPC-A, GTIN-14) padded to 14 digits, so
 * a UPC-A read as EAN-13 with a leading zero still matches; other codes trimmed, upper-cased.
 */
export function normalizeCode(raw: string): string {
  // Scanners may add control characters (GS in GS1 codes, CR/LF suffixes) or spaces.
  const code = raw.replace(/[\s\u0000-\u001f\u007f]/g, '')
  if (/^\d{8}$|^\d{12,14}$/.test(code) && isValidGtin(code)) return code.padStart(14, '0')
  return code.toUpperCase()
}

/** What a code stands for in the catalogue: one unit of a SKU, or a case of several. */
export interface CodeMeaning {
  sku: string
  units: number
  /** The product's title, when the catalogue gave it: a wrong scan names the product by it. */
  title?: string
}

/** Builds the look-up from normalized code to SKU and units, from the catalogue's barcodes and case barcodes. */
export function indexBarcodes(
  products: Iterable<Pick<CatalogueProduct, 'sku' | 'barcodes' | 'case_barcodes'> & { title?: string }>,
): Map<string, CodeMeaning> {
  const index = new Map<string, CodeMeaning>()
  for (const product of products) {
    const named = product.title ? { title: product.title } : {}
    for (const code of product.barcodes) index.set(normalizeCode(code), { sku: product.sku, units: 1, ...named })
    for (const box of product.case_barcodes) index.set(normalizeCode(box.code), { sku: product.sku, units: box.units, ...named })
  }
  return index
}

/** A product as a wrong scan names it: its title, the SKU beside it; the SKU alone when no title is known. */
export function productName(meaning: { sku: string; title?: string }): string {
  return meaning.title ? `${meaning.title} (${meaning.sku})` : meaning.sku
}

export interface PickLine {
  sku: string
  title: string
  quantity: number
  /** Units verified so far. */
  picked: number
}

export type ScanOutcome =
  | { kind: 'match'; sku: string; units: number; lineComplete: boolean; orderComplete: boolean; message: Phrase }
  | { kind: 'over_quantity'; sku: string; message: Phrase }
  | { kind: 'not_on_order'; sku: string; message: Phrase }
  | { kind: 'unknown_code'; code: string; message: Phrase }
  | { kind: 'not_packable'; message: Phrase }

/** Every verdict a scan can get: each has its sentence in every catalogue (`scan.verdict.*`). */
export const SCAN_VERDICTS = ['match', 'over_quantity', 'not_on_order', 'unknown_code', 'not_packable'] as const

const PACKABLE: readonly OrderStatus[] = ['open', 'shipping']

/**
 * What scanning `code` does to the order's lines. Pure: the caller records the match.
 * `orderStatus` stops a packer from filling a parcel the marketplace cancelled.
 */
export function matchScan(code: string, lines: readonly PickLine[], index: ReadonlyMap<string, CodeMeaning>, orderStatus: OrderStatus): ScanOutcome {
  if (!PACKABLE.includes(orderStatus)) {
    return {
      kind: 'not_packable',
      message:
        orderStatus === 'cancelled'
          ? phrase('scan.verdict.not_packable_cancelled')
          : orderStatus === 'blocked'
            ? phrase('scan.verdict.not_packable_blocked')
            : phrase('scan.verdict.not_packable', { status: orderStatus }),
    }
  }
  const normalized = normalizeCode(code)
  const meaning = index.get(normalized)
  if (!meaning) {
    return { kind: 'unknown_code', code: normalized, message: phrase('scan.verdict.unknown_code', { code: code.trim() }) }
  }
  const line = lines.find((l) => l.sku === meaning.sku)
  if (!line) {
    const message = meaning.title
      ? phrase('scan.verdict.not_on_order_named', { product: productName(meaning) })
      : phrase('scan.verdict.not_on_order', { sku: meaning.sku })
    return { kind: 'not_on_order', sku: meaning.sku, message }
  }
  const remaining = line.quantity - line.picked
  const name = productName({ sku: line.sku, title: line.title })
  if (remaining <= 0) {
    return { kind: 'over_quantity', sku: line.sku, message: phrase('scan.verdict.over_quantity', { product: name, quantity: line.quantity }, line.quantity) }
  }
  if (meaning.units > remaining) {
    return {
      kind: 'over_quantity',
      sku: line.sku,
      message: phrase('scan.verdict.over_quantity_case', { product: name, units: meaning.units, remaining }),
    }
  }
  const lineComplete = meaning.units === remaining
  const orderComplete = lineComplete && lines.every((l) => l === line || l.picked >= l.quantity)
  return {
    kind: 'match',
    sku: line.sku,
    units: meaning.units,
    lineComplete,
    orderComplete,
    message:
      meaning.units === 1
        ? phrase('scan.verdict.match', { title: line.title, scanned: line.picked + meaning.units, quantity: line.quantity })
        : phrase('scan.verdict.match_case', { title: line.title, units: meaning.units, scanned: line.picked + meaning.units, quantity: line.quantity }),
  }
}
