import { describe, expect, it } from 'vitest'
import { ImportFileError, MAX_IMPORT_BYTES, MAX_IMPORT_ROWS, readImportFile, type ImportRow } from '../../../server/orders/import-file.ts'

/** The import of states reads a seller's file as the MALL portal and FastCentrik write it. */

const utf8 = (text: string) => new TextEncoder().encode(text)

/** Text as Windows-1250 bytes, from the platform's own decoder turned round. */
function windows1250(text: string): Uint8Array {
  const decoder = new TextDecoder('windows-1250')
  const byteOf = new Map<string, number>()
  for (let b = 0; b < 256; b++) byteOf.set(decoder.decode(new Uint8Array([b])), b)
  return new Uint8Array([...text].map((char) => {
    const byte = byteOf.get(char)
    if (byte === undefined) throw new Error(`${char} has no Windows-1250 byte`)
    return byte
  }))
}

function readable(row: ImportRow | undefined) {
  expect(row?.readable, JSON.stringify(row)).toBe(true)
  return row as Extract<ImportRow, { readable: true }>
}

function unreadable(row: ImportRow | undefined) {
  expect(row?.readable, JSON.stringify(row)).toBe(false)
  return row as Extract<ImportRow, { readable: false }>
}

describe('the CSV as MALL shows it', () => {
  // The header and spacing of the portal's example, a short row and both date forms.
  const example = [
    'order_id; status; delivered_at; tracking_number; tracking_url; first_delivery_attempt',
    '1000000001; shipped; ; DPD123CZ; https://tracking.dpd.cz/DPD123CZ',
    '1000000002; delivered; 2026-11-20 14:05:00; ; ; 2026-11-19',
    '1000000003; cancelled',
    '',
  ].join('\r\n')

  it('reads each row as the change the marketplace’s PUT would get', () => {
    const file = readImportFile(utf8(example))
    expect(file.format).toBe('csv')
    expect(file.encoding).toBe('utf-8')
    expect(file.rows).toHaveLength(3)
    expect(readable(file.rows[0])).toMatchObject({
      row: 1,
      order_id: 1000000001,
      change: { status: 'shipped', confirmed: true, tracking_number: 'DPD123CZ', tracking_url: 'https://tracking.dpd.cz/DPD123CZ' },
    })
    expect(readable(file.rows[1]).change).toEqual({
      status: 'delivered',
      delivered_at: '2026-11-20 14:05:00',
      first_delivery_attempt: '2026-11-19 00:00:00',
    })
    // A short row: the missing columns are simply not sent.
    expect(readable(file.rows[2]).change).toEqual({ status: 'cancelled', confirmed: true })
  })

  it('reads a file without a header in the portal’s column order, and a UTF-8 BOM', () => {
    const file = readImportFile(utf8('\uFEFF1000000001;shipping\n1000000002 ; vyřízená ; ; T1 ; https://t.example/T1\n'))
    expect(file.rows.map((row) => readable(row).change.status)).toEqual(['shipping', 'shipped'])
    expect(readable(file.rows[1]).change.tracking_number).toBe('T1')
  })

  it('takes the columns in the order the header names them', () => {
    const file = readImportFile(utf8('status;order_id\nsettled;42\n'))
    expect(readable(file.rows[0])).toMatchObject({ order_id: 42, change: { status: 'shipped' } })
  })
})

describe('FastCentrik’s status words', () => {
  it('in Czech, from a Windows-1250 file, map as the FastCentrik ↔ MALL pairing says', () => {
    const text = ['order_id;status;delivered_at', '1;nevyřízená', '2;vyřizuje se', '3;vyřízená', '4;dokončená;2026-11-20', '5;stornována'].join('\r\n')
    const file = readImportFile(windows1250(text))
    expect(file.encoding).toBe('windows-1250')
    expect(file.rows.map((row) => readable(row).change.status)).toEqual(['open', 'shipping', 'shipped', 'delivered', 'cancelled'])
    expect(readable(file.rows[3]).change.delivered_at).toBe('2026-11-20 00:00:00')
  })

  it('in English, in any case', () => {
    const file = readImportFile(utf8('1;Pending\n2;handled with\n3;SETTLED\n4;completed;2026-11-20 10:00:00\n5;canceled\n'))
    expect(file.rows.map((row) => readable(row).change.status)).toEqual(['open', 'shipping', 'shipped', 'delivered', 'cancelled'])
  })

  it('“partially settled” has no MALL status: the row is refused with a sentence', () => {
    const file = readImportFile(windows1250('1;Částečně vyřízená\n2;partially settled\n'))
    for (const row of file.rows) {
      const refused = unreadable(row)
      expect(refused.code).toBe('STATUS_NOT_MAPPED')
      expect(refused.message).toMatch(/has no MALL status/)
    }
  })

  it('a word it does not know names itself and the words it does', () => {
    const row = unreadable(readImportFile(utf8('1;posláno\n')).rows[0])
    expect(row.code).toBe('ROW_UNREADABLE')
    expect(row.message).toContain('“posláno” is not a status the import knows')
    expect(row.message).toContain('vyřízená')
  })
})

describe('rows that cannot be read', () => {
  it('a bad date says how to write it; the other rows are read', () => {
    const file = readImportFile(utf8('1;delivered;20.11.2026\n2;delivered;2026-02-30\n3;delivered;2026-11-20 25:00:00\n4;shipping\n'))
    for (const row of file.rows.slice(0, 3)) expect(unreadable(row).message).toMatch(/is not a date: write it as YYYY-MM-DD or YYYY-MM-DD HH:MM:SS/)
    expect(readable(file.rows[3]).change.status).toBe('shipping')
  })

  it('an order number that is not one, or none, says so', () => {
    const file = readImportFile(utf8('ABC;shipped\n;shipped\n'))
    expect(unreadable(file.rows[0]).message).toContain('“ABC” is not an order number')
    expect(unreadable(file.rows[1]).message).toContain('no order number')
  })
})

describe('the XML form', () => {
  it('has the same fields per order, in any letter case', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<orders>
  <order>
    <order_id>1000000001</order_id>
    <status>vyřízená</status>
    <tracking_number>DPD123CZ</tracking_number>
    <tracking_url>https://tracking.dpd.cz/DPD123CZ</tracking_url>
  </order>
  <ORDER><ORDER_ID>1000000002</ORDER_ID><STATUS>delivered</STATUS><DELIVERED_AT>2026-11-20 14:05:00</DELIVERED_AT></ORDER>
  <order><order_id>1000000003</order_id></order>
</orders>`
    const file = readImportFile(utf8(xml))
    expect(file.format).toBe('xml')
    expect(readable(file.rows[0])).toMatchObject({ row: 1, order_id: 1000000001, change: { status: 'shipped', tracking_number: 'DPD123CZ' } })
    expect(readable(file.rows[1]).change).toEqual({ status: 'delivered', delivered_at: '2026-11-20 14:05:00' })
    expect(unreadable(file.rows[2]).message).toMatch(/no status/)
  })

  it('in Windows-1250', () => {
    const file = readImportFile(windows1250('<?xml version="1.0" encoding="windows-1250"?><orders><order><order_id>7</order_id><status>stornována</status></order></orders>'))
    expect(file.encoding).toBe('windows-1250')
    expect(readable(file.rows[0]).change.status).toBe('cancelled')
  })

  it('a file that is not well-formed is refused whole, saying so', () => {
    expect(() => readImportFile(utf8('<orders><order><order_id>1</order_id></orders>'))).toThrow(/not well-formed/)
  })
})

describe('the limits', () => {
  function thrown(run: () => unknown): ImportFileError {
    try {
      run()
    } catch (error) {
      expect(error).toBeInstanceOf(ImportFileError)
      return error as ImportFileError
    }
    throw new Error('nothing was thrown')
  }

  it(`takes ${MAX_IMPORT_ROWS} rows and refuses one more`, () => {
    const rows = (n: number) => Array.from({ length: n }, (_, i) => `${i + 1};shipping`).join('\n')
    expect(readImportFile(utf8(`order_id;status\n${rows(MAX_IMPORT_ROWS)}`)).rows).toHaveLength(MAX_IMPORT_ROWS)
    const error = thrown(() => readImportFile(utf8(`order_id;status\n${rows(MAX_IMPORT_ROWS + 1)}`)))
    expect(error.code).toBe('TOO_MANY_ROWS')
    expect(error.message).toBe('The file has 10,001 rows; an import takes at most 10,000: split it into several files.')
  })

  it('refuses a file over 5 MB', () => {
    const error = thrown(() => readImportFile(new Uint8Array(MAX_IMPORT_BYTES + 1).fill(0x20)))
    expect(error.status).toBe(413)
    expect(error.message).toMatch(/at most 5 MB/)
  })

  it('an empty file says so', () => {
    expect(thrown(() => readImportFile(utf8(' \n'))).message).toMatch(/empty/)
  })
})
