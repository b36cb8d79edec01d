import { charsPerLine, wrapLines, type Dpi } from '@/services/print/zpl'
import { code128Auto, code128FromZpl } from './code128'
import { args, blockParagraphs, decodeHex, int, type Command } from './zpl-commands'
import type { ZplPreviewLabel } from './zpl-preview'

/** Drawing one ZPL label as SVG, command by command, in printer dots. */

interface Field {
  x: number
  y: number
  /** `^FT`: y is the baseline (text) or the bottom of the bars, not the top. */
  typeset: boolean
  font?: { height: number; width: number }
  block?: { width: number; lines: number; spacing: number; align: string }
  hex?: string
  reverse: boolean
  barcode?: { height: number; line: boolean; above: boolean; mode: string }
  box?: { width: number; height: number; thickness: number; white: boolean }
  data?: string
}

/** Where the baseline sits below the top of a font-0 character cell, as a share of its height. */
const BASELINE = 0.78
const FONT = `font-family="'Arial Narrow','Roboto Condensed','Avenir Next Condensed','Helvetica Neue',Arial,sans-serif" font-weight="bold"`
/** ^FR: white where the label is black and black where it is white, as the printer does. */
const REVERSE = 'fill="#fff" style="mix-blend-mode:difference"'

const escapeXml = (text: string): string =>
  text
    // Characters XML 1.0 cannot hold at all.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')

export class LabelDrawing {
  private width: number | null = null
  private length: number | null = null
  private home = { x: 0, y: 0 }
  private font = { height: 9, width: 5 }
  private module = 2
  private barHeight = 10
  private field: Field = LabelDrawing.emptyField()
  private readonly elements: string[] = []
  private readonly warnings = new Set<string>()
  /** How far down and across anything was drawn, for labels without ^PW / ^LL. */
  private extent = { x: 0, y: 0 }

  private static emptyField(): Field {
    return { x: 0, y: 0, typeset: false, reverse: false }
  }

  apply({ name, params }: Command): void {
    const p = args(params)
    const field = this.field
    switch (name) {
      case 'PW':
        this.width = int(p[0], 0) || null
        break
      case 'LL':
        this.length = int(p[0], 0) || null
        break
      case 'LH':
        this.home = { x: int(p[0], 0), y: int(p[1], 0) }
        break
      case 'CF': {
        const height = int(p[1], this.font.height)
        this.font = { height, width: int(p[2], height) }
        break
      }
      case 'FO':
      case 'FT':
        field.x = this.home.x + int(p[0], 0)
        field.y = this.home.y + int(p[1], 0)
        field.typeset = name === 'FT'
        break
      case 'A': {
        // params: font character, then orientation,height,width
        const [orientation, height, width] = args(params.slice(1))
        if (orientation && orientation.toUpperCase() !== 'N') this.warnings.add('Rotated text is drawn unrotated.')
        const h = int(height, this.font.height)
        field.font = { height: h, width: int(width, h) }
        break
      }
      case 'FB':
        field.block = { width: int(p[0], 0), lines: Math.max(1, int(p[1], 1)), spacing: int(p[2], 0), align: (p[3] || 'L').toUpperCase() }
        break
      case 'FH':
        field.hex = params.slice(0, 1) || '_'
        break
      case 'FR':
        field.reverse = true
        break
      case 'GB': {
        const thickness = Math.max(1, int(p[2], 1))
        field.box = {
          width: Math.max(thickness, int(p[0], thickness)),
          height: Math.max(thickness, int(p[1], thickness)),
          thickness,
          white: (p[3] ?? '').toUpperCase() === 'W',
        }
        break
      }
      case 'BY':
        this.module = Math.max(1, int(p[0], this.module))
        this.barHeight = int(p[2], this.barHeight)
        break
      case 'BC':
        if (p[0] && p[0].toUpperCase() !== 'N') this.warnings.add('A rotated barcode is drawn unrotated.')
        field.barcode = {
          height: int(p[1], this.barHeight),
          line: (p[2] || 'Y').toUpperCase() !== 'N',
          above: (p[3] || 'N').toUpperCase() === 'Y',
          mode: (p[5] || 'N').toUpperCase(),
        }
        break
      case 'FD':
      case 'FV':
        field.data = params
        break
      case 'FS':
        this.flush()
        break
      case 'CI':
      case 'PQ':
      case 'FX':
        // Our labels are UTF-8 (^CI28), one copy each; comments draw nothing.
        break
      default:
        this.warnings.add(`${name.startsWith('~') ? name : `^${name}`} is not drawn in the preview.`)
    }
  }

  finish(dpi: Dpi | undefined): ZplPreviewLabel {
    if (this.field.data !== undefined || this.field.box) this.flush()
    const width = this.width ?? Math.max(812, this.extent.x)
    const height = this.length ?? Math.max(1218, this.extent.y)
    // Resolution is not in the ZPL: 300 dpi labels are over 1000 dots wide, 203 dpi ones not.
    const dotsPerMm = (dpi ?? (width > 1000 ? 300 : 203)) / 25.4
    const mm = (dots: number) => `${(dots / dotsPerMm).toFixed(1)}mm`
    const svg =
      `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${mm(width)}" height="${mm(height)}" ` +
      `role="img" aria-label="Label preview" style="isolation:isolate" ${FONT}>` +
      `<rect width="${width}" height="${height}" fill="#fff"/>${this.elements.join('')}</svg>`
    return { svg, warnings: [...this.warnings] }
  }

  private flush(): void {
    const field = this.field
    this.field = LabelDrawing.emptyField()
    if (field.box) this.drawBox(field, field.box)
    else if (field.data === undefined) return
    else if (field.barcode) this.drawBarcode(field, field.barcode, this.fieldData(field))
    else this.drawText(field, this.fieldData(field))
  }

  private fieldData(field: Field): string {
    const data = field.data ?? ''
    return field.hex ? decodeHex(data, field.hex) : data
  }

  private reach(x: number, y: number): void {
    this.extent = { x: Math.max(this.extent.x, x), y: Math.max(this.extent.y, y) }
  }

  private drawBox(field: Field, box: NonNullable<Field['box']>): void {
    const { x, y } = field
    const { width: w, height: h, thickness: t } = box
    const fill = field.reverse ? REVERSE : `fill="${box.white ? '#fff' : '#000'}"`
    // A frame is the outer rectangle less the inner one; a thick enough frame is a filled box.
    const inner = 2 * t < w && 2 * t < h ? ` M${x + t} ${y + t}v${h - 2 * t}h${w - 2 * t}v${-(h - 2 * t)}Z` : ''
    this.elements.push(`<path data-zpl="box" fill-rule="evenodd" ${fill} d="M${x} ${y}h${w}v${h}h${-w}Z${inner}"/>`)
    this.reach(x + w, y + h)
  }

  private drawText(field: Field, data: string): void {
    const font = field.font ?? this.font
    const block = field.block
    let lines: string[]
    if (block) {
      const perLine = charsPerLine(block.width, font.width)
      lines = blockParagraphs(data).flatMap((paragraph) => wrapLines(paragraph, perLine))
      if (lines.length > block.lines) {
        // The printer prints what does not fit over the block's last line; so does the preview.
        this.warnings.add('Text longer than its ^FB block prints over the block’s last line.')
      }
    } else {
      lines = [data]
    }
    const pitch = font.height + (block?.spacing ?? 0)
    const firstBaseline = field.typeset ? field.y : field.y + Math.round(font.height * BASELINE)
    const anchorX = !block ? field.x : block.align === 'C' ? field.x + block.width / 2 : block.align === 'R' ? field.x + block.width : field.x
    const anchor = block?.align === 'C' ? 'middle' : block?.align === 'R' ? 'end' : 'start'
    const scale = font.width / font.height
    const transform = scale === 1 ? '' : ` transform="matrix(${scale} 0 0 1 ${anchorX * (1 - scale)} 0)"`
    const fill = field.reverse ? REVERSE : 'fill="#000"'
    const spans = lines
      .map((line, i) => {
        const row = block ? Math.min(i, block.lines - 1) : i
        return `<tspan x="${anchorX}" y="${firstBaseline + row * pitch}">${escapeXml(line)}</tspan>`
      })
      .join('')
    this.elements.push(`<text data-zpl="text" font-size="${font.height}" text-anchor="${anchor}" xml:space="preserve" ${fill}${transform}>${spans}</text>`)
    const rows = block ? Math.min(lines.length, block.lines) : lines.length
    const widest = Math.max(0, ...lines.map((line) => [...line].length))
    this.reach(block ? field.x + block.width : field.x + widest * font.width * 0.6, field.y + rows * pitch)
  }

  private drawBarcode(field: Field, barcode: NonNullable<Field['barcode']>, data: string): void {
    const symbol = barcode.mode === 'N' ? code128FromZpl(data) : code128Auto(data, barcode.mode === 'D')
    if (!symbol) {
      this.warnings.add(`The barcode data "${data}" cannot be encoded as Code 128.`)
      return
    }
    const module = this.module
    const height = barcode.height
    const top = field.typeset ? field.y - height : field.y
    const rects: string[] = []
    for (const run of symbol.bits.matchAll(/1+/g)) {
      rects.push(`<rect x="${field.x + run.index * module}" y="${top}" width="${run[0].length * module}" height="${height}"/>`)
    }
    const width = symbol.bits.length * module
    this.elements.push(
      `<g data-zpl="barcode" data-module="${module}" data-value="${escapeXml(symbol.text)}" shape-rendering="crispEdges" ` +
        `${field.reverse ? REVERSE : 'fill="#000"'}>${rects.join('')}</g>`,
    )
    if (barcode.line) {
      // The printer's interpretation line: its size follows the module width.
      const size = 10 * module
      const baseline = barcode.above ? top - 2 * module : top + height + 2 * module + Math.round(size * BASELINE)
      this.elements.push(
        `<text data-zpl="interpretation" x="${field.x + width / 2}" y="${baseline}" font-size="${size}" text-anchor="middle" font-weight="normal" fill="#000">${escapeXml(symbol.text)}</text>`,
      )
    }
    this.reach(field.x + width, top + height + (barcode.line ? 12 * module : 0))
  }
}
