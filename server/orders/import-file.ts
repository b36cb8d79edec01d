import { parse as parseCsv } from 'csv-parse/sync'
import { XMLParser } from 'fast-xml-parser'
import { parseMallDate, parseMallDateTime } from '#core/datetime.ts'
import type { StatusChange } from '#core/status.ts'

/**
 * The file of an import of states, as a seller exports it from a shop system: CSV as the MALL
 * portal shows it (`order_id; status; delivered_at; tracking_number; tracking_url;
 * first_delivery_attempt`, semicolons, spaces around values, short rows) or XML with the same
 * fields per order (README, "Import of states"), in UTF-8 or Windows-1250. Each row becomes the
 * change the marketplace's PUT would get, or says in one sentence why it cannot be read.
 */

/** The largest file the station takes. */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024
/** The most rows one file may hold. */
export const MAX_IMPORT_ROWS = 10_000

export const IMPORT_COLUMNS = ['order_id', 'status', 'delivered_at', 'tracking_number', 'tracking_url', 'first_delivery_attempt'] as const
type Column = (typeof IMPORT_COLUMNS)[number]

export type ImportEncoding = 'utf-8' | 'windows-1250'
export type ImportFormat = 'csv' | 'xml'

export type ImportRow =
  | { row: number; readable: true; order_id: number; status: string; change: StatusChange }
  | { row: number; readable: false; order_id: number | null; status: string | null; code: 'ROW_UNREADABLE' | 'STATUS_NOT_MAPPED'; message: string }

export interface ImportFile {
  format: ImportFormat
  encoding: ImportEncoding
  rows: ImportRow[]
}

/** A file the station cannot take at all; `status` is the HTTP status to answer with. */
export class ImportFileError extends Error {
  constructor(
    readonly status: 413 | 422,
    readonly code: 'FILE_TOO_LARGE' | 'TOO_MANY_ROWS' | 'FILE_UNREADABLE',
    message: string,
  ) {
    super(message)
  }
}

/** Words in small letters without diacritics, single spaces: how a status word is compared. */
function plain(word: string): string {
  return word
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
}

/**
 * FastCentrik's order states in Czech and English, as its pairing with MALL maps them (the table
 * in README, "Import of states"); MALL's own status words map to themselves.
 */
const STATUS_WORDS: ReadonlyMap<string, string> = new Map(
  [
    ['open', 'open'],
    ['shipping', 'shipping'],
    ['shipped', 'shipped'],
    ['delivered', 'delivered'],
    ['returned', 'returned'],
    ['cancelled', 'cancelled'],
    ['lost', 'lost'],
    ['blocked', 'blocked'],
    ['nevyřízená', 'open'],
    ['pending', 'open'],
    ['vyřizuje se', 'shipping'],
    ['handled with', 'shipping'],
    ['being handled', 'shipping'],
    ['in process', 'shipping'],
    ['vyřízená', 'shipped'],
    ['settled', 'shipped'],
    ['dokončená', 'delivered'],
    ['completed', 'delivered'],
    ['stornována', 'cancelled'],
    ['stornováno', 'cancelled'],
    ['stornovaná', 'cancelled'],
    ['canceled', 'cancelled'],
  ].map(([word, status]) => [plain(word as string), status as string]),
)

const PARTIALLY_SETTLED = new Set(['částečně vyřízená', 'partially settled'].map(plain))

/** Statuses that leave `open`: the row confirms the order too, as leaving open needs (DESIGN.md). */
const LEAVING_OPEN = new Set(['shipping', 'shipped', 'cancelled'])

type StatusWord = { status: string } | { code: 'ROW_UNREADABLE' | 'STATUS_NOT_MAPPED'; message: string }

/** The MALL status a word of the file stands for, or why there is none. */
export function statusOfWord(word: string): StatusWord {
  const key = plain(word)
  const status = STATUS_WORDS.get(key)
  if (status) return { status }
  if (PARTIALLY_SETTLED.has(key)) {
    return {
      code: 'STATUS_NOT_MAPPED',
      message: `“${word}” (partially settled) has no MALL status: ship the rest of the order first, then import it as settled (shipped).`,
    }
  }
  if (key === '') return { code: 'ROW_UNREADABLE', message: 'The row has no status: write one, e.g. shipped or vyřízená.' }
  return {
    code: 'ROW_UNREADABLE',
    message: `“${word}” is not a status the import knows: use a MALL status (shipping, shipped, delivered, returned, cancelled) or FastCentrik’s words (vyřizuje se, vyřízená, dokončená, stornována; handled with, settled, completed, canceled).`,
  }
}

const FIELD_WORDS: Readonly<Record<'delivered_at' | 'first_delivery_attempt', string>> = {
  delivered_at: 'delivery date',
  first_delivery_attempt: 'first delivery attempt',
}

/** A date of the file as the marketplace writes it (`YYYY-MM-DD` is that day's midnight), or why not. */
function fileDateTime(field: 'delivered_at' | 'first_delivery_attempt', value: string): { value: string } | { message: string } {
  if (parseMallDateTime(value) !== null) return { value }
  if (parseMallDate(value) !== null) return { value: `${value} 00:00:00` }
  return { message: `The ${FIELD_WORDS[field]} “${value}” is not a date: write it as YYYY-MM-DD or YYYY-MM-DD HH:MM:SS.` }
}

/** One record of the file (its fields by column name) as a row of the import. */
function toRow(row: number, fields: Partial<Record<Column, string>>): ImportRow {
  const value = (column: Column) => (fields[column] ?? '').trim()
  const idText = value('order_id')
  const statusText = value('status')
  const orderId = /^\d{1,16}$/.test(idText) ? Number(idText) : null
  const unreadable = (message: string, code: 'ROW_UNREADABLE' | 'STATUS_NOT_MAPPED' = 'ROW_UNREADABLE'): ImportRow => ({
    row,
    readable: false,
    order_id: orderId,
    status: statusText === '' ? null : statusText,
    code,
    message,
  })
  if (orderId === null) {
    return unreadable(idText === '' ? 'The row has no order number: put it in the first column.' : `“${idText}” is not an order number: use the marketplace’s order number, digits only.`)
  }
  const word = statusOfWord(statusText)
  if (!('status' in word)) return unreadable(word.message, word.code)
  const change: StatusChange = { status: word.status }
  if (LEAVING_OPEN.has(word.status)) change.confirmed = true
  for (const field of ['delivered_at', 'first_delivery_attempt'] as const) {
    const text = value(field)
    if (text === '') continue
    const at = fileDateTime(field, text)
    if ('message' in at) return unreadable(at.message)
    change[field] = at.value
  }
  const trackingNumber = value('tracking_number')
  const trackingUrl = value('tracking_url')
  if (trackingNumber !== '') change.tracking_number = trackingNumber
  if (trackingUrl !== '') change.tracking_url = trackingUrl
  return { row, readable: true, order_id: orderId, status: word.status, change }
}

/** UTF-8 when the bytes are valid UTF-8 (a BOM is dropped), otherwise Windows-1250. */
export function decodeImport(bytes: Uint8Array): { text: string; encoding: ImportEncoding } {
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes)
    return { text, encoding: 'utf-8' }
  } catch {
    return { text: new TextDecoder('windows-1250').decode(bytes), encoding: 'windows-1250' }
  }
}

function tooManyRows(count: number): ImportFileError {
  return new ImportFileError(
    422,
    'TOO_MANY_ROWS',
    `The file has ${count.toLocaleString('en')} rows; an import takes at most ${MAX_IMPORT_ROWS.toLocaleString('en')}: split it into several files.`,
  )
}

function parseCsvText(text: string): ImportRow[] {
  let records: string[][]
  try {
    records = parseCsv(text, {
      delimiter: ';',
      trim: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
    }) as string[][]
  } catch (error) {
    throw new ImportFileError(422, 'FILE_UNREADABLE', `The CSV file could not be read (${(error as Error).message}): save it as semicolon-separated CSV.`)
  }
  let columns: readonly string[] = IMPORT_COLUMNS
  const header = records[0]?.map((cell) => plain(cell))
  if (header?.includes('order_id')) {
    columns = header
    records = records.slice(1)
  }
  if (records.length > MAX_IMPORT_ROWS) throw tooManyRows(records.length)
  return records.map((cells, i) => {
    const fields: Partial<Record<Column, string>> = {}
    columns.forEach((column, c) => {
      if ((IMPORT_COLUMNS as readonly string[]).includes(column)) fields[column as Column] = cells[c] ?? ''
    })
    return toRow(i + 1, fields)
  })
}

function parseXmlText(text: string): ImportRow[] {
  const parser = new XMLParser({
    ignoreAttributes: true,
    parseTagValue: false,
    trimValues: true,
    // Element names in any case: <ORDER_ID> as the MALL feed writes, or <order_id>.
    transformTagName: (name) => name.toLowerCase(),
    isArray: (name) => name === 'order',
  })
  let document: Record<string, unknown>
  try {
    document = parser.parse(text, true) as Record<string, unknown>
  } catch (error) {
    const reason = typeof error === 'object' && error !== null && 'message' in error ? String(error.message) : String(error)
    throw new ImportFileError(422, 'FILE_UNREADABLE', `The XML file is not well-formed (${reason}): check it against the example in the README.`)
  }
  const root = document.orders as { order?: unknown[] } | undefined
  if (typeof root !== 'object' || root === null) {
    throw new ImportFileError(422, 'FILE_UNREADABLE', 'The XML file has no <orders> element: write one <order> per order inside <orders>, as the README’s example does.')
  }
  const orders = root.order ?? []
  if (orders.length > MAX_IMPORT_ROWS) throw tooManyRows(orders.length)
  return orders.map((entry, i) => {
    const fields: Partial<Record<Column, string>> = {}
    if (typeof entry === 'object' && entry !== null) {
      for (const column of IMPORT_COLUMNS) {
        const value = (entry as Record<string, unknown>)[column]
        if (typeof value === 'string' || typeof value === 'number') fields[column] = String(value)
      }
    }
    return toRow(i + 1, fields)
  })
}

/**
 * Reads an import file: its encoding, its format (XML when it starts with `<`, else CSV) and its
 * rows. Throws {@link ImportFileError} for a file the station cannot take at all.
 */
export function readImportFile(bytes: Uint8Array): ImportFile {
  if (bytes.byteLength > MAX_IMPORT_BYTES) {
    throw new ImportFileError(413, 'FILE_TOO_LARGE', `The file is ${(bytes.byteLength / 1024 / 1024).toFixed(1)} MB; an import takes at most 5 MB: split it into several files.`)
  }
  const { text, encoding } = decodeImport(bytes)
  const body = text.replace(/^\uFEFF/, '')
  if (body.trim() === '') throw new ImportFileError(422, 'FILE_UNREADABLE', 'The file is empty: export the states again from your shop system.')
  const format: ImportFormat = body.trimStart().startsWith('<') ? 'xml' : 'csv'
  return { format, encoding, rows: format === 'xml' ? parseXmlText(body) : parseCsvText(body) }
}
