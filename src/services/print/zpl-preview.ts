import JsBarcode from 'jsbarcode'
import { charsPerLine, wrapLines, type Dpi } from '@/services/print/zpl'

/**
 * What a ZPL document will print, drawn as SVG for the packer to check before printing: one
 * standalone SVG per `^XA … ^XZ` label, in printer dots (`viewBox` = `^PW` × `^LL`).
 *
 * It understands the commands our labels (`zpl.ts`) and MALL Delivery's ZPL use: ^XA ^XZ
 * ^CI ^PW ^LL ^LH ^FO ^FT ^A ^CF ^FB ^FH ^FD ^FV ^FS ^FR ^GB ^BY ^BC ^PQ ^FX. Other commands are
 * skipped and reported by `previewZpl` / `zplPreviewWarnings`. Text is drawn in a condensed sans
 * serif in place of the printer's font 0, wrapped in `^FB` blocks with the same glyph estimate the
 * label generator uses to cut text, so a line that wraps here wraps on the label.
 */

export interface ZplPreviewOptions {
  /** The printer's resolution, for the SVG's size in mm; guessed from `^PW` when left out. */
  dpi?: Dpi
}

export interface ZplPreviewLabel {
  svg: string
  /** What the preview could not draw faithfully (unknown commands, invalid barcode data). */
  warnings: string[]
}

/** One standalone SVG string per `^XA … ^XZ` label. */
export function renderZplPreview(zpl: string, options: ZplPreviewOptions = {}): string[] {
  return previewZpl(zpl, options).map((label) => label.svg)
}

/** Everything in the document the preview skipped or could not draw, each once. */
export function zplPreviewWarnings(zpl: string): string[] {
  return [...new Set(previewZpl(zpl).flatMap((label) => label.warnings))]
}

/** Each label's SVG with what the preview could not draw. */
export function previewZpl(zpl: string, options: ZplPreviewOptions = {}): ZplPreviewLabel[] {
  const labels: ZplPreviewLabel[] = []
  let label: LabelDrawing | null = null
  for (const command of commands(zpl)) {
    if (command.name === 'XA') {
      label = new LabelDrawing()
    } else if (command.name === 'XZ') {
      if (label) labels.push(label.finish(options.dpi))
      label = null
    } else {
      label?.apply(command)
    }
  }
  return labels
}

// Reading ZPL ------------------------------------------------------------------------------------

interface Command {
  name: string
  params: string
}

/**
 * The document as commands. The printer ignores line breaks, so they are dropped first. `^A` takes
 * its font as the next character (`^A0N,40,40` is font 0), every other command has a two-letter
 * name; `~` commands are kept with their tilde so they are never mistaken for formats.
 */
function commands(zpl: string): Command[] {
  const text = zpl.replace(/[\r\n]/g, '')
  const starts: number[] = []
  for (let i = 0; i < text.length; i++) if (text[i] === '^' || text[i] === '~') starts.push(i)
  return starts.map((start, i) => {
    const body = text.slice(start + 1, starts[i + 1] ?? text.length)
    if (text[start] === '~') return { name: `~${body.slice(0, 2).toUpperCase()}`, params: body.slice(2) }
    if (body[0]?.toUpperCase() === 'A') return { name: 'A', params: body.slice(1) }
    return { name: body.slice(0, 2).toUpperCase(), params: body.slice(2) }
  })
}

const args = (params: string): string[] => params.split(',').map((p) => p.trim())
const int = (value: string | undefined, fallback: number): number => {
  const n = Number.parseInt(value ?? '', 10)
  return Number.isFinite(n) ? n : fallback
}

/** `^FH` data: `<indicator>XX` is a byte; the bytes are UTF-8 (`^CI28`). */
function decodeHex(data: string, indicator: string): string {
  const bytes: number[] = []
  const encoder = new TextEncoder()
  for (let i = 0; i < data.length; i++) {
    const hex = data.slice(i + 1, i + 3)
    if (data[i] === indicator && /^[0-9a-fA-F]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16))
      i += 2
    } else {
      const codePoint = data.codePointAt(i)!
      const char = String.fromCodePoint(codePoint)
      bytes.push(...encoder.encode(char))
      i += char.length - 1
    }
  }
  return new TextDecoder().decode(new Uint8Array(bytes))
}

/** `^FB`'s own escapes: `\&` breaks the line, `\\` is a backslash. */
function blockParagraphs(data: string): string[] {
  const paragraphs: string[] = []
  let current = ''
  for (let i = 0; i < data.length; i++) {
    const pair = data.slice(i, i + 2)
    if (pair === '\\&') {
      paragraphs.push(current)
      current = ''
      i++
    } else if (pair === '\\\\') {
      current += '\\'
      i++
    } else {
      current += data[i]
    }
  }
  paragraphs.push(current)
  return paragraphs
}

// Drawing ----------------------------------------------------------------------------------------

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

class LabelDrawing {
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

// Code 128 ---------------------------------------------------------------------------------------

/** Bar and space widths of Code 128 symbols 0–106 (106 is the stop, with its final bar). */
const PATTERNS = (
  '212222 222122 222221 121223 121322 131222 122213 122312 132212 221213 221312 231212 112232 122132 122231 113222 ' +
  '123122 123221 223211 221132 221231 213212 223112 312131 311222 321122 321221 312212 322112 322211 212123 212321 ' +
  '232121 111323 131123 131321 112313 132113 132311 211313 231113 231311 112133 112331 132131 113123 113321 133121 ' +
  '313121 211331 231131 213113 213311 213131 311123 311321 331121 312113 312311 332111 314111 221411 431111 111224 ' +
  '111422 121124 121421 141122 141221 112214 112412 122114 122411 142112 142211 241211 221114 413111 241112 134111 ' +
  '111242 121142 121241 114212 124112 124211 411212 421112 421211 212141 214121 412121 111143 111341 131141 114113 ' +
  '114311 411113 411311 113141 114131 311141 411131 211412 211214 211232 2331112'
).split(' ')

const bits = (value: number): string =>
  [...PATTERNS[value]!].map((width, i) => (i % 2 === 0 ? '1' : '0').repeat(Number(width))).join('')

const START = { A: 103, B: 104, C: 105 } as const
const STOP = 106
type CodeSet = keyof typeof START

interface Symbol128 {
  /** Modules, 1 for bar and 0 for space, start to stop. */
  bits: string
  /** The interpretation line: the data without start, switch and function codes. */
  text: string
}

function symbolFrom(start: CodeSet, values: number[], text: string): Symbol128 {
  const startValue = START[start]
  const check = values.reduce((sum, value, i) => sum + value * (i + 1), startValue) % 103
  return { bits: [startValue, ...values, check, STOP].map(bits).join(''), text }
}

/**
 * `^BC` data in ZPL's mode N: subset B unless a start code (`>9` A, `>:` B, `>;` C) says
 * otherwise, `>5` `>6` `>7` switch sets as Zebra's table gives them, and subsets A and C read
 * digit pairs (an unpaired digit before a switch or at the end is dropped, as the printer does).
 */
function code128FromZpl(data: string): Symbol128 | null {
  let set: CodeSet = 'B'
  let i = 0
  const starts: Record<string, CodeSet> = { '9': 'A', ':': 'B', ';': 'C' }
  const startCode = data[0] === '>' ? starts[data[1] ?? ''] : undefined
  if (startCode) {
    set = startCode
    i = 2
  }
  const start = set
  const values: number[] = []
  let text = ''
  const charA = (value: number) => String.fromCharCode(value < 64 ? value + 32 : value - 64)

  while (i < data.length) {
    if (data[i] === '>' && i + 1 < data.length) {
      const code = data[i + 1]!
      i += 2
      if (code === '<' || code === '0') {
        if (set === 'C') continue
        values.push(30)
        text += '>'
      } else if (code === '=') {
        values.push(94)
        if (set === 'B') text += '~'
      } else if (/[1-8]/.test(code)) {
        const value = 94 + Number(code)
        if (set === 'C' && value < 100) continue
        values.push(value)
        if (value === 99) set = 'C'
        else if (value === 100 && set !== 'B') set = 'B'
        else if (value === 101 && set !== 'A') set = 'A'
      }
      continue
    }
    if (set === 'B') {
      const code = data.charCodeAt(i)
      i++
      if (code < 32 || code > 127) return null
      values.push(code - 32)
      text += data[i - 1]
      continue
    }
    // Subsets A and C: digit pairs.
    const first = data[i]!
    const second = data[i + 1]
    if (!/\d/.test(first)) {
      i++
      continue
    }
    if (second === undefined || second === '>') {
      i++
      continue
    }
    i += 2
    if (!/\d/.test(second)) continue
    const value = Number(first + second)
    if (set === 'C') {
      values.push(value)
      text += first + second
    } else if (value <= 95) {
      values.push(value)
      text += charA(value)
    }
  }
  return values.length > 0 ? symbolFrom(start, values, text) : null
}

/** Automatic mode (`^BC…,A`): the printer picks the sets; JsBarcode's choice stands in for it. */
function code128Auto(data: string, gs1: boolean): Symbol128 | null {
  const target: { encodings?: { data: string }[] } = {}
  try {
    JsBarcode(target, data, { format: 'CODE128', ean128: gs1 })
  } catch {
    return null
  }
  const encoded = target.encodings?.map((encoding) => encoding.data).join('')
  return encoded ? { bits: encoded, text: data } : null
}
