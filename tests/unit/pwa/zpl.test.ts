import JsBarcode from 'jsbarcode'
import { describe, expect, it } from 'vitest'
import { DEMO_SELLER } from '#core/seller.ts'
import { shippingLabels, type ShippingLabel } from '../../../src/services/print/documents.ts'
import { labelDots, labelZpl, zplText, type Dpi, type LabelSize } from '../../../src/services/print/zpl.ts'
import { makeOrder } from '../core/fixtures.ts'
import { paperFor } from '../../../src/i18n/paper.ts'

// The papers in English (a customer outside the seven languages' countries).
const PAPER = await paperFor('en')

/**
 * Thermal labels in ZPL: one format per parcel with the facts the courier and the sorting depot
 * read (recipient, cash on delivery, pickup point, parcel n of m, the order's barcode), and
 * nothing that runs off the label or lets a customer's name become a printer command.
 */

const address = makeOrder().address

/** Cash on delivery to the customer's door, in two parcels; the customer's name has Czech diacritics. */
const codOrder = makeOrder({ id: 10085339302, cod: 1867, address: { ...address, name: 'Žluťoučký kůň', company: 'Kůň a syn s.r.o.' } })
/** Prepaid to a pickup point; an even-length order number. */
const pickupOrder = makeOrder({
  id: 2008533930,
  cod: 0,
  delivery_method: 'Zásilkovna',
  branch_id: 12345,
  branches: { branch_id: 12345, secondary_branch_id: null, overridden: false, last_change: null },
})
/** A name that tries to end the label, start another and reset the printer. */
const hostileOrder = makeOrder({ id: 10085339303, address: { ...address, name: 'Eva ^XZ^XA~JR Nová_5E\\&x' } })
/** The longest things a label must hold without running off it. */
const crowdedOrder = makeOrder({
  id: 10085339304,
  cod: 1234567.5,
  branch_id: 987654321,
  branches: { branch_id: 987654321, secondary_branch_id: null, overridden: false, last_change: null },
  delivery_method: 'Zásilkovna – výdejní místo Praha 9 Prosek, Lovosická 440/40, obchodní centrum',
  address: {
    ...address,
    name: 'Žofie Marie Kateřina Dvořáková-Szczepańská Nováková von Schwarzenberg',
    company: 'Mezinárodní obchodní a dopravní společnost Wolkenkratzer s.r.o.',
    street: 'Nábřeží Kapitána Jaroše 1000/7, vchod z Kostelní ulice, 3. patro, byt 12',
    city: 'Frýdlant nad Ostravicí - Lubno (okres Frýdek-Místek)',
    zip: '739 11',
    phone: '+420 777 123 456 / +420 602 987 654',
  },
})

const SIZES: LabelSize[] = ['100x150', '4x6']
const DPIS: Dpi[] = [203, 300]
const EXPECTED_DOTS: Record<LabelSize, Record<Dpi, [number, number]>> = {
  '100x150': { 203: [799, 1199], 300: [1181, 1772] },
  '4x6': { 203: [812, 1218], 300: [1200, 1800] },
}

function zplFor(order: ReturnType<typeof makeOrder>, parcels = 1, dpi: Dpi = 203, size: LabelSize = '100x150') {
  const labels = shippingLabels(order, DEMO_SELLER, parcels, PAPER)
  return { labels, zpl: labelZpl(labels, { dpi, size }) }
}

function formats(zpl: string): string[] {
  return zpl.match(/\^XA[\s\S]*?\^XZ/g) ?? []
}

interface ParsedField {
  line: string
  x: number
  y: number
  font?: number
  block?: { width: number; lines: number }
  box?: { width: number; height: number; thickness: number }
  module?: number
  barcode?: { height: number }
  reverse: boolean
  /** ^FD data with ^FH_ escapes decoded. */
  data?: string
}

/** The fields of one format: each ^FO line with what it draws. */
function fields(format: string): ParsedField[] {
  return format
    .split('\n')
    .filter((line) => line.startsWith('^FO'))
    .map((line) => {
      const num = (re: RegExp) => line.match(re)?.slice(1).map(Number)
      const [x, y] = num(/^\^FO(\d+),(\d+)/)!
      const font = num(/\^A0N,(\d+),(\d+)/)
      const block = num(/\^FB(\d+),(\d+)/)
      const box = num(/\^GB(\d+),(\d+),(\d+)/)
      const by = num(/\^BY(\d+)/)
      const bc = num(/\^BCN,(\d+),Y,N,N/)
      const raw = line.match(/\^FD(.*)\^FS$/)?.[1]
      const data = raw === undefined ? undefined : line.includes('^FH_') ? raw.replace(/_([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))) : raw
      return {
        line,
        x: x!,
        y: y!,
        font: font?.[0],
        block: block && { width: block[0]!, lines: block[1]! },
        box: box && { width: box[0]!, height: box[1]!, thickness: box[2]! },
        module: by?.[0],
        barcode: bc && { height: bc[0]! },
        reverse: line.includes('^FR'),
        data,
      }
    })
}

const barcodeField = (format: string) => fields(format).find((f) => f.barcode)!
const textFields = (format: string) => fields(format).filter((f) => f.data !== undefined && !f.barcode)
const texts = (format: string) => textFields(format).map((f) => f.data!)
/** The order number a scanner reads: ^BC data without ZPL's subset invocation codes. */
const scannedValue = (data: string) => data.replace(/>[0-9:;<=]/g, '')

function code128Bits(value: string): string {
  const target: { encodings?: { data: string }[] } = {}
  JsBarcode(target, value, { format: 'CODE128' })
  return target.encodings!.map((e) => e.data).join('')
}

describe('one label per parcel', () => {
  it('prints one ^XA … ^XZ format per parcel and nothing outside them', () => {
    const { zpl } = zplFor(codOrder, 2)
    const blocks = formats(zpl)
    expect(blocks).toHaveLength(2)
    expect(zpl.split('\n').filter((line) => line === '^XA')).toHaveLength(2)
    for (const block of blocks) {
      expect(block.startsWith('^XA\n')).toBe(true)
      expect(block.endsWith('\n^XZ')).toBe(true)
      expect(block).toContain('\n^PQ1\n')
      expect(block).toContain('\n^LH0,0\n')
    }
    expect(zpl.replace(/\^XA[\s\S]*?\^XZ/g, '').trim()).toBe('')
  })

  it('numbers the parcels 1/2 and 2/2, each with the same order barcode', () => {
    const blocks = formats(zplFor(codOrder, 2).zpl)
    expect(texts(blocks[0]!)).toContain('PARCEL 1/2')
    expect(texts(blocks[1]!)).toContain('PARCEL 2/2')
    expect(texts(blocks[0]!)).not.toContain('PARCEL 2/2')
    expect(barcodeField(blocks[0]!).data).toBe(barcodeField(blocks[1]!).data)
  })

  it('prints nothing for no labels', () => {
    expect(labelZpl([], { dpi: 203, size: '100x150' })).toBe('')
  })
})

describe('label size and resolution', () => {
  for (const size of SIZES) {
    for (const dpi of DPIS) {
      it(`sets ^PW and ^LL for ${size} at ${dpi} dpi`, () => {
        const [width, height] = EXPECTED_DOTS[size][dpi]
        expect(labelDots(size, dpi)).toEqual({ width, height })
        const block = formats(zplFor(codOrder, 1, dpi, size).zpl)[0]!
        expect(block.match(/\^PW(\d+)/)?.[1]).toBe(String(width))
        expect(block.match(/\^LL(\d+)/)?.[1]).toBe(String(height))
      })
    }
  }

  it('uses Code 128 modules of 2 dots at 203 dpi and 3 dots at 300 dpi', () => {
    expect(barcodeField(formats(zplFor(codOrder, 1, 203).zpl)[0]!).module).toBe(2)
    expect(barcodeField(formats(zplFor(codOrder, 1, 300).zpl)[0]!).module).toBe(3)
    expect(barcodeField(formats(zplFor(codOrder, 1, 300, '4x6').zpl)[0]!).module).toBe(3)
  })

  it('scales the layout with the resolution instead of printing a smaller label at 300 dpi', () => {
    const at203 = textFields(formats(zplFor(codOrder, 1, 203).zpl)[0]!)
    const at300 = textFields(formats(zplFor(codOrder, 1, 300).zpl)[0]!)
    const name203 = at203.find((f) => f.data === 'Žluťoučký kůň')!
    const name300 = at300.find((f) => f.data === 'Žluťoučký kůň')!
    expect(name300.font! / name203.font!).toBeCloseTo(300 / 203, 1)
    expect(name300.y / name203.y).toBeCloseTo(300 / 203, 1)
  })
})

describe('what the label says', () => {
  it('keeps Czech diacritics as UTF-8 (^CI28 before any text)', () => {
    const block = formats(zplFor(codOrder).zpl)[0]!
    expect(block.indexOf('^CI28')).toBeGreaterThan(0)
    expect(block.indexOf('^CI28')).toBeLessThan(block.indexOf('^FD'))
    expect(texts(block)).toContain('Žluťoučký kůň')
    expect(texts(block)).toContain('Kůň a syn s.r.o.')
  })

  it('prints the recipient in full under "TO:" and the sender at the top', () => {
    const lines = texts(formats(zplFor(codOrder).zpl)[0]!)
    expect(lines.slice(0, 2).join(' ')).toContain(DEMO_SELLER.name)
    const to = lines.indexOf('TO:')
    expect(to).toBeGreaterThan(1)
    expect(lines.slice(to + 1, to + 7)).toEqual(['Žluťoučký kůň', 'Kůň a syn s.r.o.', 'Dlouhá 1', '11000 Praha', 'CZ', 'Tel. +420777123456'])
  })

  it('encodes the order number in the Code 128 barcode and prints it as "Order <id>"', () => {
    const block = formats(zplFor(codOrder).zpl)[0]!
    const barcode = barcodeField(block)
    expect(barcode.line).toMatch(/\^BCN,\d+,Y,N,N\^FD/)
    expect(scannedValue(barcode.data!)).toBe('10085339302')
    expect(texts(block)).toContain('Order 10085339302')
  })

  it('packs the digits in subset C; an odd count starts with one digit in subset B', () => {
    // Zebra drops a digit left unpaired in subset C, so 11 digits must not all go there.
    expect(barcodeField(formats(zplFor(codOrder).zpl)[0]!).data).toBe('>:1>50085339302')
    expect(barcodeField(formats(zplFor(pickupOrder).zpl)[0]!).data).toBe('>;2008533930')
  })

  it('shows the amount to collect in a black box for cash on delivery', () => {
    const { labels, zpl } = zplFor(codOrder)
    const all = fields(formats(zpl)[0]!)
    const cod = all.find((f) => f.data?.startsWith('COD '))!
    expect(cod.data).toBe(`COD ${labels[0]!.cod}`)
    expect(cod.data).toBe('COD CZK\u00a01,867')
    expect(cod.reverse).toBe(true)
    const box = all.find((f) => f.box && f.box.thickness === f.box.height && f.y <= cod.y && f.y + f.box.height >= cod.y + cod.font!)
    expect(box, 'a filled box behind the amount').toBeDefined()
    expect(texts(formats(zpl)[0]!)).not.toContain('PREPAID')
  })

  it('says PREPAID, with no amount, when nothing is to be collected', () => {
    const lines = texts(formats(zplFor(pickupOrder).zpl)[0]!)
    expect(lines).toContain('PREPAID')
    expect(lines.some((line) => line.startsWith('COD'))).toBe(false)
  })

  it('shows the pickup point and the delivery method', () => {
    const lines = texts(formats(zplFor(pickupOrder).zpl)[0]!)
    expect(lines).toContain('PICKUP POINT 12345')
    expect(lines).toContain('Zásilkovna')
    expect(texts(formats(zplFor(codOrder).zpl)[0]!).some((line) => line.startsWith('PICKUP POINT'))).toBe(false)
  })
})

describe('customer text cannot become printer commands', () => {
  it('hex-escapes ^, ~ and the hex indicator, and doubles ^FB’s backslash', () => {
    expect(zplText('a^b~c_d\\e')).toBe('a_5Eb_7Ec_5Fd\\\\e')
    expect(zplText('Jana\nNováková\t ')).toBe('Jana Nováková')
  })

  it('prints a hostile name as text: no label ends early and no printer reset', () => {
    const { zpl } = zplFor(hostileOrder, 2)
    expect(formats(zpl)).toHaveLength(2)
    expect(zpl.match(/\^XA/g)).toHaveLength(2)
    expect(zpl.match(/\^XZ/g)).toHaveLength(2)
    expect(zpl).not.toContain('~')
    expect(zpl).not.toContain('^XZ^XA')
    const name = fields(formats(zpl)[0]!).find((f) => f.data?.startsWith('Eva'))!
    expect(name.line).toContain('^FH_^FDEva _5EXZ_5EXA_7EJR Nová_5F5E\\\\&x^FS')
    // Decoded, the printer gets the name back (with ^FB's backslash escape).
    expect(name.data).toBe('Eva ^XZ^XA~JR Nová_5E\\\\&x')
    for (const line of zpl.split('\n')) {
      // Every ^ starts one of our commands; data never holds one.
      for (const command of line.match(/\^../g) ?? []) expect(['^XA', '^XZ', '^CI', '^PW', '^LL', '^LH', '^FO', '^A0', '^FB', '^FH', '^FD', '^FS', '^FR', '^GB', '^BY', '^BC', '^PQ']).toContain(command)
    }
  })
})

describe('nothing runs off the label', () => {
  const cases = [codOrder, pickupOrder, hostileOrder, crowdedOrder].flatMap((order) => SIZES.flatMap((size) => DPIS.map((dpi) => ({ order, size, dpi }))))

  it.each(cases)('order $order.id on $size at $dpi dpi', ({ order, size, dpi }) => {
    const { width, height } = labelDots(size, dpi)
    for (const block of formats(zplFor(order, 2, dpi, size).zpl)) {
      for (const field of fields(block)) {
        expect(field.x, field.line).toBeGreaterThanOrEqual(0)
        expect(field.y, field.line).toBeGreaterThanOrEqual(0)
        expect(field.y, field.line).toBeLessThan(height)
        if (field.block) {
          expect(field.x + field.block.width, field.line).toBeLessThanOrEqual(width)
          // The whole block, every line of it, is on the label too.
          expect(field.y + field.block.lines * field.font!, field.line).toBeLessThanOrEqual(height)
        } else if (field.box) {
          expect(field.x + field.box.width, field.line).toBeLessThanOrEqual(width)
          expect(field.y + field.box.height, field.line).toBeLessThanOrEqual(height)
        } else if (field.barcode) {
          // The symbol's width from an independent encoder, plus 10 modules of quiet zone each side.
          const modules = code128Bits(String(order.id)).length
          const module = field.module!
          expect(field.x - 10 * module, field.line).toBeGreaterThanOrEqual(0)
          expect(field.x + (modules + 10) * module, field.line).toBeLessThanOrEqual(width)
          // Bars and the interpretation line under them (about 10 modules high).
          expect(field.y + field.barcode.height + 12 * module, field.line).toBeLessThanOrEqual(height)
          expect(field.barcode.height, 'bars a handheld scanner can hit').toBeGreaterThanOrEqual(Math.round((10 / 25.4) * dpi))
        } else {
          throw new Error(`Every field is a ^FB block, a box or the barcode: ${field.line}`)
        }
      }
    }
  })

  it('wraps a long name in at most two lines and ends it with an ellipsis', () => {
    const labels: ShippingLabel[] = shippingLabels(crowdedOrder, DEMO_SELLER, 1, PAPER)
    for (const dpi of DPIS) {
      const block = formats(labelZpl(labels, { dpi, size: '100x150' }))[0]!
      const name = textFields(block).find((f) => f.data?.startsWith('Žofie'))!
      expect(name.block!.lines).toBe(2)
      expect(name.data!.endsWith('...')).toBe(true)
      // Two lines of glyphs estimated at 0.6 × the font height, and the space between them.
      const perLine = Math.floor(name.block!.width / (0.6 * name.font!))
      expect([...name.data!].length).toBeLessThanOrEqual(2 * perLine + 1)
      expect(name.data!.length).toBeGreaterThan(perLine)
    }
  })

  it('never cuts the amount to collect: the font shrinks to keep it on one line', () => {
    const block = formats(zplFor(crowdedOrder).zpl)[0]!
    const cod = textFields(block).find((f) => f.data?.startsWith('COD'))!
    expect(cod.data).toBe('COD CZK\u00a01,234,567.50')
    expect(cod.block!.lines).toBe(1)
    expect([...cod.data!].length * 0.6 * cod.font!).toBeLessThanOrEqual(cod.block!.width)
  })
})
