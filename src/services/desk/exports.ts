import { amountToCollect } from '#core/cod.ts'
import { STATUS_WORDS } from '#core/status.ts'
import type { SheetData } from 'write-excel-file/browser'
import type { DeskEntry } from './desk-orders'

/**
 * The desk's exports of the orders chosen: CSV for Excel ("Export selected for CSV … for control
 * during inventories") and xlsx with a payment provider's kind of columns adapted to a marketplace
 * seller. Both carry the same columns; the xlsx writer is loaded only when used.
 */

type Cell = string | number | null

interface ExportColumn {
  header: string
  value: (entry: DeskEntry) => Cell
}

const MARKETPLACES: Readonly<Record<string, string>> = { mallCz: 'MALL.cz', mallSk: 'MALL.sk', mallHu: 'MALL.hu', mallSi: 'MIMOVRSTE.com', mallHr: 'MALL.hr', mallPl: 'MALL.pl' }

export function marketplaceName(source: string): string {
  return MARKETPLACES[source] ?? source
}

export const EXPORT_COLUMNS: readonly ExportColumn[] = [
  { header: 'Order date', value: (e) => e.date },
  { header: 'Order number', value: (e) => e.order.id },
  { header: 'Marketplace', value: (e) => marketplaceName(e.order.source) },
  { header: 'Country', value: (e) => e.order.address.country },
  { header: 'Total', value: (e) => e.total },
  { header: 'Currency', value: (e) => e.order.currency },
  { header: 'Remaining to pay (COD)', value: (e) => amountToCollect(e.order) },
  { header: 'Discount', value: (e) => e.order.discount },
  { header: 'Status', value: (e) => STATUS_WORDS[e.order.status] },
  { header: 'Test order', value: (e) => (e.order.test ? 'TEST' : '') },
  { header: 'Customer', value: (e) => e.order.address.name },
  { header: 'E-mail', value: (e) => e.order.address.email },
  { header: 'Phone', value: (e) => e.order.address.phone },
  { header: 'Delivery method', value: (e) => e.method.name },
  { header: 'Carrier', value: (e) => e.method.carrier ?? '' },
  { header: 'Tracking number', value: (e) => e.order.tracking_number ?? '' },
  { header: 'Packed (shipping) at', value: (e) => e.order.shipping ?? '' },
  { header: 'Shipped at', value: (e) => e.order.shipped ?? '' },
  { header: 'Delivered at', value: (e) => e.order.delivered_at ?? e.order.delivered ?? '' },
]

/** The rows of an export: the header, then one row per order. */
export function exportRows(entries: readonly DeskEntry[]): Cell[][] {
  return [EXPORT_COLUMNS.map((column) => column.header), ...entries.map((entry) => EXPORT_COLUMNS.map((column) => column.value(entry)))]
}

/** Semicolon-separated, UTF-8 with a byte-order mark, so Excel in Czech or Slovak opens it as it is. */
export async function ordersCsv(entries: readonly DeskEntry[]): Promise<Blob> {
  const { stringify } = await import('csv-stringify/browser/esm/sync')
  const text = stringify(exportRows(entries), { delimiter: ';', bom: true, record_delimiter: 'windows' })
  return new Blob([text], { type: 'text/csv;charset=utf-8' })
}

/** The orders as an Excel workbook; its writer is fetched the first time. */
export async function ordersXlsx(entries: readonly DeskEntry[]): Promise<Blob> {
  const { default: writeXlsxFile } = await import('write-excel-file/browser')
  const [header, ...rows] = exportRows(entries)
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

/** Saves a file the browser's way: a link to the blob, clicked. */
export function download(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  document.body.append(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
