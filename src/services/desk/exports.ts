import { amountToCollect } from '#core/cod.ts'
import { STATUS_WORDS } from '#core/status.ts'
import type { Translate } from '@/i18n/phrase'
import type { SheetData } from 'write-excel-file/browser'
import type { DeskEntry } from './desk-orders'

/**
 * The desk's exports of the orders chosen: CSV for Excel ("Export selected for CSV … for control
 * during inventories") and xlsx with a payment provider's kind of columns adapted to a marketplace
 * seller. Both carry the same columns; the xlsx's headers are in the screen's language, the CSV's
 * in English; the xlsx writer is loaded only when used.
 */

type Cell = string | number | null

interface ExportColumn {
  /** Names the column's header in the catalogue: `desk.exportColumn.<id>`. */
  id: string
  /** The CSV's header, the same in every language, for the scripts and spreadsheets that read it. */
  header: string
  value: (entry: DeskEntry) => Cell
}

const MARKETPLACES: Readonly<Record<string, string>> = { mallCz: 'MALL.cz', mallSk: 'MALL.sk', mallHu: 'MALL.hu', mallSi: 'MIMOVRSTE.com', mallHr: 'MALL.hr', mallPl: 'MALL.pl' }

export function marketplaceName(source: string): string {
  return MARKETPLACES[source] ?? source
}

export const EXPORT_COLUMNS: readonly ExportColumn[] = [
  { id: 'orderDate', header: 'Order date', value: (e) => e.date },
  { id: 'orderNumber', header: 'Order number', value: (e) => e.order.id },
  { id: 'marketplace', header: 'Marketplace', value: (e) => marketplaceName(e.order.source) },
  { id: 'country', header: 'Country', value: (e) => e.order.address.country },
  { id: 'total', header: 'Total', value: (e) => e.total },
  { id: 'currency', header: 'Currency', value: (e) => e.order.currency },
  { id: 'remaining', header: 'Remaining to pay (COD)', value: (e) => amountToCollect(e.order) },
  { id: 'discount', header: 'Discount', value: (e) => e.order.discount },
  { id: 'status', header: 'Status', value: (e) => STATUS_WORDS[e.order.status] },
  { id: 'test', header: 'Test order', value: (e) => (e.order.test ? 'TEST' : '') },
  { id: 'customer', header: 'Customer', value: (e) => e.order.address.name },
  { id: 'email', header: 'E-mail', value: (e) => e.order.address.email },
  { id: 'phone', header: 'Phone', value: (e) => e.order.address.phone },
  { id: 'deliveryMethod', header: 'Delivery method', value: (e) => e.method.name },
  { id: 'carrier', header: 'Carrier', value: (e) => e.method.carrier ?? '' },
  { id: 'trackingNumber', header: 'Tracking number', value: (e) => e.order.tracking_number ?? '' },
  { id: 'packedBy', header: 'Packed by', value: (e) => e.order.packed_by ?? '' },
  { id: 'packedAt', header: 'Packed (shipping) at', value: (e) => e.order.shipping ?? '' },
  { id: 'shippedAt', header: 'Shipped at', value: (e) => e.order.shipped ?? '' },
  { id: 'deliveredAt', header: 'Delivered at', value: (e) => e.order.delivered_at ?? e.order.delivered ?? '' },
]

/** The columns' headers in a reader's language (the screen's `t`), for the xlsx (read by people). */
export function translatedHeader(t: Translate): (column: ExportColumn) => string {
  return (column) => t(`desk.exportColumn.${column.id}`)
}

/** The rows of an export: the header (English unless told how to say it), then one row per order. */
export function exportRows(entries: readonly DeskEntry[], header: (column: ExportColumn) => string = (column) => column.header): Cell[][] {
  return [EXPORT_COLUMNS.map(header), ...entries.map((entry) => EXPORT_COLUMNS.map((column) => column.value(entry)))]
}

/**
 * Semicolon-separated, UTF-8 with a byte-order mark, so Excel in Czech or Slovak opens it as it is.
 * Its header row is English in every language: scripts and inventory sheets find columns by name.
 */
export async function ordersCsv(entries: readonly DeskEntry[]): Promise<Blob> {
  const { stringify } = await import('csv-stringify/browser/esm/sync')
  const text = stringify(exportRows(entries), { delimiter: ';', bom: true, record_delimiter: 'windows' })
  return new Blob([text], { type: 'text/csv;charset=utf-8' })
}

/** The orders as an Excel workbook, its headers in the screen's language; its writer is fetched the first time. */
export async function ordersXlsx(entries: readonly DeskEntry[], t: Translate): Promise<Blob> {
  const { default: writeXlsxFile } = await import('write-excel-file/browser')
  const [header, ...rows] = exportRows(entries, translatedHeader(t))
  const sheet: SheetData = [
    (header ?? []).map((value) => ({ value: String(value), fontWeight: 'bold' as const })),
    ...rows.map((row) => row.map((value) => (value === null || value === '' ? null : value))),
  ]
  return writeXlsxFile(sheet, { sheet: 'Orders', columns: EXPORT_COLUMNS.map(() => ({ width: 18 })) }).toBlob()
}

/** The file name of an export made now: `orders-2026-11-26.csv`. */
export function exportFileName(extension: 'csv' | 'xlsx', day: string): string {
  return `orders-${day}.${extension}`
}
