import type { ShippingLabel } from './documents'

/**
 * Shipping labels as ZPL II for Zebra-compatible thermal printers: one `^XA … ^XZ` format per
 * parcel, showing the same facts as the browser's label (`ShippingLabel`). The layout is designed
 * in millimetres and converted to the printer's dots, so 203 and 300 dpi print the same label.
 *
 * Text is never allowed past the print width: every text field is a `^FB` block as wide as the
 * label less its margins, with a fixed number of lines, and the data is wrapped and cut here with
 * the same estimate the preview (`services/print/zpl-preview.ts`) uses to draw it.
 */

export type LabelSize = '100x150' | '4x6'
export type Dpi = 203 | 300

export interface ZplOptions {
  dpi: Dpi
  size: LabelSize
}

const MM_PER_INCH = 25.4

const LABEL_MM: Record<LabelSize, { width: number; height: number }> = {
  '100x150': { width: 100, height: 150 },
  '4x6': { width: 4 * MM_PER_INCH, height: 6 * MM_PER_INCH },
}

/**
 * How wide a glyph of the resident scalable font (`^A0`) is, as a share of the font's width
 * parameter. Font 0 averages nearer 0.5; 0.6 leaves room for wide capitals, so wrapped text
 * fits its block on the printer, not just in the estimate.
 */
export const GLYPH_WIDTH = 0.6

/**
 * The `^FH` hex indicator. Not the default `\`: `^FB` already gives `\` a meaning of its own
 * (`\&` breaks the line), and one character should not mean two things in the same data.
 */
export const ZPL_HEX_INDICATOR = '_'

/** Cut text ends with three full stops: font 0 on older firmware has no `…` glyph. */
const ELLIPSIS = '...'

/** Millimetres to whole printer dots. */
export function mmToDots(mm: number, dpi: Dpi): number {
  return Math.round((mm / MM_PER_INCH) * dpi)
}

/** The label's printable area in dots: `^PW` (width) and `^LL` (length). */
export function labelDots(size: LabelSize, dpi: Dpi): { width: number; height: number } {
  const mm = LABEL_MM[size]
  return { width: mmToDots(mm.width, dpi), height: mmToDots(mm.height, dpi) }
}

/**
 * Customer text as one printable line: composed characters (a decomposed "ů" would print as "u"
 * and a stray ring), control characters and line breaks as spaces, runs of spaces collapsed.
 */
function cleanText(value: string): string {
  return value
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ')
    .replace(/ {2,}/g, ' ')
    .trim()
}

/**
 * Field data for `^FH_^FD…^FS`. `^` would end the field and start a command of the customer's
 * choosing and `~` is a control command even inside data, so both (and the hex indicator itself)
 * go as hex escapes; `\` is doubled because `^FB` reads `\&` as a line break.
 */
export function zplText(value: string): string {
  const hex = (char: string) => ZPL_HEX_INDICATOR + char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')
  return cleanText(value)
    .replace(/[\^~_]/g, hex)
    .replace(/\\/g, '\\\\')
}

/** How many glyphs of a font `fontWidth` dots wide fit on a `^FB` line `blockWidth` dots wide. */
export function charsPerLine(blockWidth: number, fontWidth: number): number {
  return Math.max(1, Math.floor(blockWidth / (GLYPH_WIDTH * fontWidth)))
}

/**
 * Greedy word wrap at spaces, as `^FB` wraps, counting glyphs (`maxChars` per line). A word longer
 * than a line is cut into line-long pieces so nothing runs past the block's edge.
 */
export function wrapLines(text: string, maxChars: number): string[] {
  const lines: string[] = []
  let line: string[] = []
  for (const word of text.split(' ').filter((w) => w !== '')) {
    const glyphs = [...word]
    if (line.length > 0 && line.length + 1 + glyphs.length <= maxChars) {
      line.push(' ', ...glyphs)
      continue
    }
    if (line.length > 0) lines.push(line.join(''))
    while (glyphs.length > maxChars) lines.push(glyphs.splice(0, maxChars).join(''))
    line = glyphs
  }
  if (line.length > 0) lines.push(line.join(''))
  return lines
}

/**
 * The text as it will wrap in `maxLines` lines of `maxChars`: long words split at the line width
 * and, when it needs more lines than that, the last line cut and ended with an ellipsis (`^FB`
 * would otherwise print the rest over the last line).
 */
function fitBlock(text: string, maxChars: number, maxLines: number): string {
  const lines = wrapLines(cleanText(text), maxChars)
  if (lines.length <= maxLines) return lines.join(' ')
  const kept = lines.slice(0, maxLines)
  const last = [...kept[maxLines - 1]!]
  const room = Math.max(0, maxChars - ELLIPSIS.length)
  kept[maxLines - 1] = last.slice(0, room).join('').trimEnd() + ELLIPSIS
  return kept.join(' ')
}

// Code 128 ---------------------------------------------------------------------------------------

/** The module width the label aims for: 0.25 mm, 2 dots at 203 dpi and 3 at 300. */
const MODULE_MM = 0.25
const QUIET_ZONE_MODULES = 10

/**
 * The `^BC` field data for the order number, with ZPL's subset invocation codes: `>;` starts
 * subset C, which packs two digits per symbol. An odd count starts in subset B for the first
 * digit and switches with `>5` (CODE C), since a digit left unpaired in subset C is dropped by
 * the printer, and subset A in ZPL takes digit pairs rather than characters.
 */
function code128Data(digits: string): string {
  if (!/^\d+$/.test(digits)) throw new RangeError(`The label's barcode holds the order number as digits; got "${digits}".`)
  if (digits.length % 2 === 0) return `>;${digits}`
  if (digits.length === 1) return `>:${digits}`
  return `>:${digits[0]}>5${digits.slice(1)}`
}

/** Modules of the symbol `code128Data(digits)` describes: start, data, check (11 each) and stop (13). */
function code128Modules(digits: string): number {
  const dataSymbols = digits.length % 2 === 0 ? digits.length / 2 : digits.length === 1 ? 1 : 2 + (digits.length - 1) / 2
  return (1 + dataSymbols + 1) * 11 + 13
}

// The label --------------------------------------------------------------------------------------

interface TextSpec {
  /** Font height in mm (glyphs as wide as they are high, `^A0N,h,h`). */
  height: number
  maxLines?: number
  align?: 'L' | 'C' | 'R'
  /** White on black (`^FR`) over a filled box. */
  reverse?: boolean
  /** Space left below the block, in mm. */
  after?: number
}

/** Layout in millimetres; converted to dots per printer. */
const MARGIN = 4
const TOP = 3
const BOTTOM = 4
const RULE = 0.3
const LINE_GAP = 0.15 // of the font height, between lines of a block
const COD_BOX = 13
const COD_TEXT = 9
const PARCEL_TEXT = 9
/** Room under the bars for the printer's interpretation line. */
const INTERPRETATION = 4

function labelFormat(label: ShippingLabel, size: LabelSize, dpi: Dpi): string {
  const d = (mm: number) => mmToDots(mm, dpi)
  const page = labelDots(size, dpi)
  const left = d(MARGIN)
  const blockWidth = page.width - 2 * left
  const out: string[] = ['^XA', '^CI28', `^PW${page.width}`, `^LL${page.height}`, '^LH0,0']
  let y = d(TOP)

  /** A text block at the cursor; `fontDots` overrides the height when it is fitted to the width. */
  const text = (value: string, spec: TextSpec, fontDots = d(spec.height), x = left, width = blockWidth) => {
    const maxLines = spec.maxLines ?? 1
    const spacing = Math.round(fontDots * LINE_GAP)
    const data = zplText(fitBlock(value, charsPerLine(width, fontDots), maxLines))
    out.push(
      `^FO${x},${y}^A0N,${fontDots},${fontDots}${spec.reverse ? '^FR' : ''}` +
        `^FB${width},${maxLines},${spacing},${spec.align ?? 'L'}^FH${ZPL_HEX_INDICATOR}^FD${data}^FS`,
    )
    // The block's full height is kept whatever the text needs, so a name that wraps on the
    // printer but not in the estimate can never print over the next line.
    y += maxLines * fontDots + (maxLines - 1) * spacing + d(spec.after ?? 0.8)
  }
  const rule = () => {
    const thickness = Math.max(1, d(RULE))
    out.push(`^FO${left},${y}^GB${blockWidth},${thickness},${thickness}^FS`)
    y += thickness + d(1.5)
  }
  /** The largest font up to `maxMm` that keeps `value` on one line: amounts are never cut. */
  const oneLineFont = (value: string, maxMm: number, width: number) =>
    Math.min(d(maxMm), Math.floor(width / (GLYPH_WIDTH * Math.max(1, [...cleanText(value)].length))))

  const { sender, recipient } = label
  const { words } = label
  text(`${words.from.toUpperCase()}: ${sender.name}`, { height: 3.2, after: 0.6 })
  text([sender.street, `${sender.zip} ${sender.city}`, sender.country, sender.phone].filter(Boolean).join(', '), { height: 2.8, maxLines: 2, after: 1 })
  rule()

  text(`${words.to.toUpperCase()}:`, { height: 3.5, after: 0.5 })
  text(recipient.name, { height: 7.5, maxLines: 2 })
  if (recipient.company) text(recipient.company, { height: 5 })
  text(recipient.street, { height: 6, maxLines: 2 })
  text(`${recipient.zip} ${recipient.city}`, { height: 7, maxLines: 2 })
  text(recipient.country, { height: 5, after: 0.5 })
  if (recipient.phone) text(`${words.phone} ${recipient.phone}`, { height: 5, after: 1 })
  rule()

  if (label.pickup_point) text(`${words.pickup_point.toUpperCase()} ${label.pickup_point}`, { height: 6.5 })
  text(label.delivery_method, { height: 5, after: 1.5 })

  // Cash on delivery is white on black so the courier cannot miss it; prepaid is only framed.
  const boxHeight = d(COD_BOX)
  const boxTop = y
  const boxThickness = label.cod ? boxHeight : Math.max(1, d(0.6))
  out.push(`^FO${left},${boxTop}^GB${blockWidth},${boxHeight},${boxThickness},B^FS`)
  const inner = blockWidth - 2 * d(2)
  const payment = label.cod ? `${words.cod.toUpperCase()} ${label.cod}` : words.prepaid.toUpperCase()
  const paymentFont = oneLineFont(payment, COD_TEXT, inner)
  y = boxTop + Math.round((boxHeight - paymentFont) / 2)
  text(payment, { height: COD_TEXT, align: 'C', reverse: label.cod !== null }, paymentFont, left + d(2), inner)
  y = boxTop + boxHeight + d(2)

  const parcel = `${words.parcel.toUpperCase()} ${label.parcel}/${label.parcels}`
  text(parcel, { height: PARCEL_TEXT, after: 1 }, oneLineFont(parcel, PARCEL_TEXT, blockWidth))
  text(`${words.order} ${label.order_id}`, { height: 4, align: 'C', after: 1 })

  // The bars take what is left above the interpretation line; the module stays a whole number
  // of dots (bars of mixed widths scan badly) and shrinks only if the symbol would not fit.
  const symbol = code128Modules(label.barcode)
  const module = Math.max(1, Math.min(d(MODULE_MM), Math.floor(blockWidth / (symbol + 2 * QUIET_ZONE_MODULES))))
  const barHeight = page.height - d(BOTTOM) - d(INTERPRETATION) - y
  const barX = Math.round((page.width - symbol * module) / 2)
  out.push(`^FO${barX},${y}^BY${module},3,${barHeight}^BCN,${barHeight},Y,N,N^FD${code128Data(label.barcode)}^FS`)

  out.push('^PQ1', '^XZ')
  return out.join('\n')
}

/**
 * The labels as one ZPL document, a `^XA … ^XZ` format per parcel in parcel order, ready to send
 * to the printer's raw port or to save as a `.zpl` file.
 */
export function labelZpl(labels: readonly ShippingLabel[], options: ZplOptions): string {
  return labels.map((label) => labelFormat(label, options.size, options.dpi)).join('\n') + (labels.length > 0 ? '\n' : '')
}
