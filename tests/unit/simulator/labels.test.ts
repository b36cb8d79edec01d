import { describe, it, expect } from 'vitest'
import { PDFDict, PDFDocument, PDFName } from 'pdf-lib'
import { renderLabelsPdf, renderLabelsZpl } from '../../../simulator/mall/labels.ts'
import type { LabelParcel } from '../../../simulator/mall/labels.ts'

function parcel(index: number, count: number, overrides: Partial<LabelParcel> = {}): LabelParcel {
  return {
    barcode: `14IS50856666*00100${index}`,
    order_id: 312345678,
    parcel_index: index,
    parcel_count: count,
    recipient: {
      name: 'Jan Novák',
      company: null,
      street: 'Vinohradská 12',
      city: 'Praha',
      zip: '120 00',
      country: 'CZ',
      phone: '+420 777 123 456',
    },
    pickup_point: null,
    cod: 1867,
    currency: 'CZK',
    sender: { name: 'Demo Shop s.r.o.', street: 'Skladová 1', city: 'Brno', zip: '602 00', country: 'CZ' },
    carrier: 'MALL Delivery',
    ...overrides,
  }
}

const parcels = (count: number): LabelParcel[] => Array.from({ length: count }, (_, i) => parcel(i + 1, count))

describe('renderLabelsPdf', () => {
  it('produces a PDF that loads back with A4 pages', async () => {
    const bytes = await renderLabelsPdf(parcels(2), { first_position: 1, labels_per_page: 4 })
    expect(new TextDecoder().decode(bytes.subarray(0, 5))).toBe('%PDF-')
    const doc = await PDFDocument.load(bytes)
    const { width, height } = doc.getPage(0).getSize()
    expect(width).toBeCloseTo(595.28, 2)
    expect(height).toBeCloseTo(841.89, 2)
  })

  it.each([
    // parcels, first_position, labels_per_page, pages
    [3, 1, 4, 1],
    [3, 3, 4, 2],
    [4, 1, 4, 1],
    [4, 2, 4, 2],
    [9, 1, 4, 3],
    [1, 4, 4, 1],
    [3, 1, 2, 2],
    [2, 2, 2, 2],
    [3, 1, 1, 3],
  ])('%i parcels from position %i at %i per page fill %i page(s)', async (count, first, perPage, pages) => {
    const bytes = await renderLabelsPdf(parcels(count), { first_position: first, labels_per_page: perPage })
    const doc = await PDFDocument.load(bytes)
    expect(doc.getPageCount()).toBe(pages)
    for (const page of doc.getPages()) {
      expect(page.getWidth()).toBeCloseTo(595.28, 2)
      expect(page.getHeight()).toBeCloseTo(841.89, 2)
    }
  })

  it('draws one barcode image per parcel on the page', async () => {
    const bytes = await renderLabelsPdf(parcels(3), { first_position: 1, labels_per_page: 4 })
    const doc = await PDFDocument.load(bytes)
    // Count the XObjects the page uses: each bwip-js PNG also brings an
    // /SMask (alpha) image, so raw /Subtype /Image objects would double up.
    const xobjects = doc.getPage(0).node.Resources()?.lookup(PDFName.of('XObject'), PDFDict)
    expect(xobjects?.keys()).toHaveLength(3)
  })

  it('does not throw on Czech or other non-WinAnsi text', async () => {
    const czech = parcel(1, 1, {
      recipient: {
        name: 'Jiří Dvořák-Šťastný',
        company: 'Účetnictví Řeřicha s.r.o.',
        street: 'Náměstí Míru 1867/12',
        city: 'Český Krumlov',
        zip: '381 01',
        country: 'CZ',
        phone: '+420 777 123 456',
      },
      sender: { name: 'Pražírna Łódź 😀 ☕', street: 'Ďáblická 5\n2. patro', city: 'Ústí nad Labem', zip: '400 01', country: 'CZ' },
      pickup_point: 'Výdejní místo 4711 – Zličín',
    })
    const bytes = await renderLabelsPdf([czech], { first_position: 1, labels_per_page: 1 })
    expect((await PDFDocument.load(bytes)).getPageCount()).toBe(1)
  })

  it('rejects impossible layouts', async () => {
    await expect(renderLabelsPdf(parcels(1), { first_position: 5, labels_per_page: 4 })).rejects.toThrow(RangeError)
    await expect(renderLabelsPdf(parcels(1), { first_position: 0, labels_per_page: 4 })).rejects.toThrow(RangeError)
    await expect(renderLabelsPdf(parcels(1), { first_position: 1, labels_per_page: 3 })).rejects.toThrow(RangeError)
    await expect(renderLabelsPdf([], { first_position: 1, labels_per_page: 4 })).rejects.toThrow(RangeError)
  })
})

/** The ZPL commands between `^` markers, e.g. ["XA", "CI28", "PW800", ...]. */
function commands(zpl: string): string[] {
  return zpl
    .split('^')
    .slice(1)
    .map((c) => c.trim())
}

/** Every command this renderer emits; a leaked `^` in data shows up as an unknown one. */
const KNOWN = /^(XA|XZ|CI28|PW\d+|LL\d+|LH0,0|FO\d+,\d+|A0N,\d+,\d+|FR|FH_|FD.*|FS|GB\d+,\d+,\d+|BY\d+|BCN,\d+,Y,N,N,A)$/s

describe('renderLabelsZpl', () => {
  it('writes one ^XA … ^XZ label per parcel', () => {
    const zpl = renderLabelsZpl(parcels(3))
    const blocks = zpl.trim().split(/(?<=\^XZ)\s*/)
    expect(blocks).toHaveLength(3)
    for (const block of blocks) {
      expect(block.startsWith('^XA')).toBe(true)
      expect(block.endsWith('^XZ')).toBe(true)
      expect(block.match(/\^XA/g)).toHaveLength(1)
      expect(block).toContain('^CI28')
    }
  })

  it('sizes a 100 x 150 mm label for the printer resolution', () => {
    const at203 = renderLabelsZpl(parcels(1))
    expect(at203).toContain('^PW800')
    expect(at203).toContain('^LL1200')
    expect(renderLabelsZpl(parcels(1), { dpi: 203 })).toBe(at203)
    const at300 = renderLabelsZpl(parcels(1), { dpi: 300 })
    expect(at300).toContain('^PW1200')
    expect(at300).toContain('^LL1800')
    expect(() => renderLabelsZpl(parcels(1), { dpi: 600 as 300 })).toThrow(RangeError)
  })

  it('prints the barcode as Code 128, the parcel counter, order and COD amount', () => {
    const zpl = renderLabelsZpl(parcels(2))
    expect(zpl).toMatch(/\^BC[^^]*\^FD14IS50856666\*001001\^FS/)
    expect(zpl).toMatch(/\^BC[^^]*\^FD14IS50856666\*001002\^FS/)
    expect(zpl).toContain('^FDParcel 1/2^FS')
    expect(zpl).toContain('^FDParcel 2/2^FS')
    expect(zpl).toContain('312345678')
    expect(zpl).toContain('COD 1 867.00 CZK')
    expect(zpl).toContain('Jan Novák')
    expect(zpl).toContain('Demo Shop s.r.o.')
    for (const c of commands(zpl)) expect(c).toMatch(KNOWN)
  })

  it('shows the pickup point and "Prepaid" when there is nothing to collect', () => {
    const zpl = renderLabelsZpl([parcel(1, 1, { pickup_point: 'Pickup point 4711', cod: 0 })])
    expect(zpl).toContain('^FDPickup point 4711^FS')
    expect(zpl).toContain('^FDPrepaid^FS')
    expect(zpl).not.toContain('COD')
  })

  it('keeps ^ and ~ in data from breaking the label structure', () => {
    const nasty = parcel(1, 1, {
      recipient: { ...parcel(1, 1).recipient, name: 'Jo^XZ~JA_x' },
      sender: { ...parcel(1, 1).sender, name: 'Shop^FS\nLine two' },
    })
    const zpl = renderLabelsZpl([nasty])
    expect(zpl.match(/\^XA/g)).toHaveLength(1)
    expect(zpl.match(/\^XZ/g)).toHaveLength(1)
    expect(zpl).not.toContain('~')
    // Hex-escaped via ^FH: ^ = _5E, ~ = _7E, _ = _5F.
    expect(zpl).toContain('^FH_^FDJo_5EXZ_7EJA_5Fx^FS')
    expect(zpl).toContain('^FH_^FDShop_5EFS Line two^FS')
    for (const c of commands(zpl)) expect(c).toMatch(KNOWN)
  })
})
