import JsBarcode from 'jsbarcode'
import { describe, expect, it } from 'vitest'
import { DEMO_SELLER } from '#core/seller.ts'
import { shippingLabels } from '../../../src/services/print/documents.ts'
import { labelZpl, type Dpi } from '../../../src/services/print/zpl.ts'
import { previewZpl, renderZplPreview, zplPreviewWarnings } from '../../../src/services/print/zpl-preview.ts'
import { makeOrder } from '../core/fixtures.ts'
import { paperFor } from '../../../src/i18n/paper.ts'

// The papers in English (a customer outside the seven languages' countries).
const PAPER = await paperFor('en')

/**
 * The packer sees the ZPL label before it prints: the same text, wrapped where the printer wraps
 * it, and bars that are the barcode the printer will print.
 */

const address = makeOrder().address
const codOrder = makeOrder({ id: 10085339302, cod: 1867, address: { ...address, name: 'Žluťoučký kůň <&>' } })
const evenOrder = makeOrder({ id: 2008533930, address: { ...address, name: 'Eva ^XZ^XA~JR Nová' } })
const longNameOrder = makeOrder({ address: { ...address, name: 'Žofie Marie Kateřina Dvořáková Nováková Schwarzenberg' } })

const preview = (order: ReturnType<typeof makeOrder>, parcels = 1, dpi: Dpi = 203) =>
  renderZplPreview(labelZpl(shippingLabels(order, DEMO_SELLER, parcels, PAPER), { dpi, size: '100x150' }))

/** The `<text>` elements of an SVG, each as its lines (tspans), XML entities left as they are. */
function textElements(svg: string): { attributes: string; lines: string[] }[] {
  return [...svg.matchAll(/<text([^>]*)>(.*?)<\/text>/g)].map(([, attributes, body]) => ({
    attributes: attributes!,
    lines: body!.includes('<tspan') ? [...body!.matchAll(/<tspan[^>]*>(.*?)<\/tspan>/g)].map((m) => m[1]!) : [body!],
  }))
}

const unescapeXml = (text: string) => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&')

/** The modules drawn by the barcode's rects: 1 under a bar, 0 between bars. */
function drawnBits(svg: string): { bits: string; module: number; x: number; right: number } {
  const group = svg.match(/<g data-zpl="barcode" data-module="(\d+)"[^>]*>(.*?)<\/g>/)
  expect(group, 'a barcode group').not.toBeNull()
  const module = Number(group![1])
  const rects = [...group![2]!.matchAll(/<rect x="(\d+)" y="\d+" width="(\d+)" height="\d+"\/>/g)].map((m) => ({ x: Number(m[1]), width: Number(m[2]) }))
  const x0 = rects[0]!.x
  let bits = ''
  for (const rect of rects) {
    expect((rect.x - x0) % module).toBe(0)
    expect(rect.width % module).toBe(0)
    bits = bits.padEnd((rect.x - x0) / module, '0') + '1'.repeat(rect.width / module)
  }
  return { bits, module, x: x0, right: x0 + bits.length * module }
}

function jsBarcodeBits(value: string, format: string): string {
  const target: { encodings?: { data: string }[] } = {}
  JsBarcode(target, value, { format })
  return target.encodings!.map((e) => e.data).join('')
}

describe('ZPL label preview', () => {
  it('draws one standalone SVG per parcel, sized as the label', () => {
    const svgs = preview(codOrder, 2)
    expect(svgs).toHaveLength(2)
    for (const svg of svgs) {
      expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 799 1199" width="100\.0mm" height="150\.0mm"/)
      expect(svg.endsWith('</svg>')).toBe(true)
    }
    const lines = (svg: string) => textElements(svg).flatMap((t) => t.lines)
    expect(lines(svgs[0]!)).toContain('PARCEL 1/2')
    expect(lines(svgs[1]!)).toContain('PARCEL 2/2')
    expect(renderZplPreview(labelZpl(shippingLabels(codOrder, DEMO_SELLER, 1, PAPER), { dpi: 300, size: '4x6' }))[0]).toMatch(
      /viewBox="0 0 1200 1800" width="101\.6mm" height="152\.4mm"/,
    )
  })

  it('shows the recipient’s name with its diacritics, escaped for XML', () => {
    const [svg] = preview(codOrder)
    const name = textElements(svg!).find((t) => t.lines[0]?.startsWith('Žluťoučký'))
    expect(name?.lines).toEqual(['Žluťoučký kůň &lt;&amp;&gt;'])
    expect(svg).not.toContain('<&>')
  })

  it('shows a name with ZPL commands in it as the text the customer typed', () => {
    const [svg] = preview(evenOrder)
    const lines = textElements(svg!).flatMap((t) => t.lines.map(unescapeXml))
    expect(lines).toContain('Eva ^XZ^XA~JR Nová')
    expect(lines).toContain('PREPAID')
  })

  it('draws the amount to collect white on a black box', () => {
    const [svg] = preview(codOrder)
    const cod = textElements(svg!).find((t) => t.lines[0]?.startsWith('COD'))!
    expect(cod.lines).toEqual(['COD CZK\u00a01,867'])
    expect(cod.attributes).toContain('fill="#fff" style="mix-blend-mode:difference"')
    expect(cod.attributes).toContain('text-anchor="middle"')
    const boxes = [...svg!.matchAll(/<path data-zpl="box"[^>]* fill="#000" d="M(\d+) (\d+)h(\d+)v(\d+)h-\d+Z"\/>/g)]
    expect(boxes.some((b) => Number(b[4]) > 50), 'a filled box, not a frame').toBe(true)
  })

  it('draws bars that are the Code 128 symbol of the order number', () => {
    // An even count of digits is all subset C: exactly JsBarcode's own choice.
    const even = drawnBits(preview(evenOrder)[0]!)
    expect(even.bits).toBe(jsBarcodeBits('2008533930', 'CODE128'))
    expect(even.module).toBe(2)

    // An odd count starts in subset B for one digit, then CODE C (JsBarcode's \xCC) and pairs.
    for (const dpi of [203, 300] as const) {
      const odd = drawnBits(preview(codOrder, 1, dpi)[0]!)
      expect(odd.bits).toBe(jsBarcodeBits('1\xCC0085339302', 'CODE128B'))
      expect(odd.module).toBe(dpi === 203 ? 2 : 3)
      // As dense as JsBarcode's automatic choice, and with its quiet zones inside the label.
      expect(odd.bits.length).toBe(jsBarcodeBits('10085339302', 'CODE128').length)
      const width = Number(preview(codOrder, 1, dpi)[0]!.match(/viewBox="0 0 (\d+)/)![1])
      expect(odd.x - 10 * odd.module).toBeGreaterThanOrEqual(0)
      expect(odd.right + 10 * odd.module).toBeLessThanOrEqual(width)
    }
  })

  it('prints the digits under the bars without ZPL’s subset codes', () => {
    const [svg] = preview(codOrder)
    const line = textElements(svg!).find((t) => t.attributes.includes('data-zpl="interpretation"'))
    expect(line?.lines).toEqual(['10085339302'])
    expect(svg).toContain('data-value="10085339302"')
  })

  it('wraps a long name over lines as ^FB does, cut with an ellipsis at the last line', () => {
    const [svg] = preview(longNameOrder)
    const name = textElements(svg!).find((t) => t.lines[0]?.startsWith('Žofie'))!
    expect(name.lines).toHaveLength(2)
    expect(name.lines[0]).toBe('Žofie Marie Kateřina')
    expect(name.lines[1]!.endsWith('...')).toBe(true)
    const ys = [...svg!.matchAll(/<tspan x="\d+" y="(\d+)">Žofie|<tspan x="\d+" y="(\d+)">Dvořáková/g)].map((m) => Number(m[1] ?? m[2]))
    expect(ys).toHaveLength(2)
    expect(ys[1]! - ys[0]!).toBeGreaterThanOrEqual(60)
  })

  it('wraps, aligns and spaces ^FB lines from the block’s own parameters', () => {
    // 300 dots of 30-dot glyphs estimated at 18 dots: 16 to a line.
    const [svg] = renderZplPreview('^XA^PW400^LL300^FO10,20^A0N,30,30^FB300,3,5,C^FDone two three four five six^FS^XZ')
    const [text] = textElements(svg!)
    expect(text!.lines).toEqual(['one two three', 'four five six'])
    expect(svg).toContain('<tspan x="160" y="43">one two three</tspan><tspan x="160" y="78">four five six</tspan>')
    expect(text!.attributes).toContain('text-anchor="middle"')
  })

  it('decodes ^FH hex escapes, including UTF-8 bytes, and honours ^LH', () => {
    const [svg] = renderZplPreview('^XA^CI28^PW400^LL300^LH5,7^FO10,20^A0N,20,20^FH\\^FDa\\5Eb \\C5\\BD\\7E^FS^XZ')
    expect(textElements(svg!)[0]!.lines).toEqual(['a^b Ž~'])
    expect(svg).toContain('<tspan x="15" y="43">')
  })

  it('draws frames and reversed fields', () => {
    const [svg] = renderZplPreview('^XA^PW200^LL200^FO10,10^GB100,50,4^FS^FO0,0^GB20,20,20,B^FR^FS^XZ')
    expect(svg).toContain('<path data-zpl="box" fill-rule="evenodd" fill="#000" d="M10 10h100v50h-100Z M14 14v42h92v-42Z"/>')
    expect(svg).toContain('<path data-zpl="box" fill-rule="evenodd" fill="#fff" style="mix-blend-mode:difference" d="M0 0h20v20h-20Z"/>')
  })

  it('lists the commands it cannot draw, and still draws the rest', () => {
    const zpl = '^XA^MD10^PW400^LL300^FO10,10^A0N,20,20^FDkept^FS~JR^XZ'
    expect(zplPreviewWarnings(zpl)).toEqual(['^MD is not drawn in the preview.', '~JR is not drawn in the preview.'])
    expect(textElements(renderZplPreview(zpl)[0]!)[0]!.lines).toEqual(['kept'])
    expect(previewZpl(labelZpl(shippingLabels(codOrder, DEMO_SELLER, 1, PAPER), { dpi: 203, size: '100x150' }))[0]!.warnings).toEqual([])
  })
})
