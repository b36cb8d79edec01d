/**
 * MALL Delivery parcel labels, as the simulator returns them from
 * `POST /v1/orders/labels` (`labels_raw` = base64 of one document holding one
 * label per parcel): a real PDF (A4 sheets with 1, 2 or 4 labels each) or
 * real ZPL II for 100 x 150 mm thermal labels.
 */
// The root entry only has platform conditions (node/browser/...), which
// TypeScript's Bundler resolution doesn't pick; the /node subpath resolves
// the same code for both tsc and Node.
import bwipjs from 'bwip-js/node'
import { PDFDocument, StandardFonts, rgb } from 'pdf-lib'
import type { PDFFont, PDFImage, PDFPage } from 'pdf-lib'

export interface LabelParcel {
  /** Opaque parcel barcode like "14IS50856666*001002" (may contain '*'). */
  barcode: string
  order_id: number | string
  /** 1-based. */
  parcel_index: number
  parcel_count: number
  recipient: { name: string; company: string | null; street: string; city: string; zip: string; country: string; phone: string }
  /** E.g. "Pickup point 4711" when delivered to a pickup point, else null. */
  pickup_point: string | null
  /** Amount to collect; 0 when prepaid. */
  cod: number
  currency: string
  sender: { name: string; street: string; city: string; zip: string; country: string }
  carrier: string
}

export interface PdfLayout {
  /** Slot on the first sheet to start at (1-based); earlier slots stay empty. */
  first_position: number
  /** 1 = whole page, 2 = halves, 4 = quadrants. */
  labels_per_page: number
}

// ---------------------------------------------------------------------------
// Shared text helpers

/** "1 867.00": two decimals, thousands separated by spaces. */
function formatAmount(amount: number): string {
  const [int = '0', dec = '00'] = Math.abs(amount).toFixed(2).split('.')
  return (amount < 0 ? '-' : '') + int.replace(/\B(?=(\d{3})+(?!\d))/g, ' ') + '.' + dec
}

function codLine(parcel: LabelParcel): string {
  return parcel.cod > 0 ? `COD ${formatAmount(parcel.cod)} ${parcel.currency}` : 'Prepaid'
}

/** Control characters (newlines, tabs...) would break either format's layout. */
function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim()
}

function assertParcels(parcels: readonly LabelParcel[]): void {
  if (parcels.length === 0) throw new RangeError('at least one parcel is needed to render labels')
}

// ---------------------------------------------------------------------------
// PDF

/** A4 in PDF points. */
const A4: readonly [number, number] = [595.28, 841.89]
/**
 * Labels are laid out in a box the size of an A4 quadrant (about 105 x 148 mm,
 * i.e. a standard 100 x 150 mm label plus margin) and scaled to the slot:
 * x1 in quadrants and halves, x2 when one label takes the whole page.
 */
const LABEL_W = A4[0] / 2
const LABEL_H = A4[1] / 2
const MARGIN = 16

/** Letters without a canonical decomposition that NFD can't strip. */
const EXTRA_ASCII: Record<string, string> = { ł: 'l', Ł: 'L', đ: 'd', Đ: 'D', ħ: 'h', ı: 'i', ŀ: 'l', Ŀ: 'L' }

/**
 * The standard Helvetica font only covers WinAnsi (CP1252): "á", "é", "š"
 * are fine, "č", "ř", "ě", "ů" would make pdf-lib throw. Characters outside
 * the font are reduced to their base letter; anything left becomes "?".
 */
function toWinAnsi(text: string, charset: ReadonlySet<number>): string {
  let out = ''
  for (const ch of oneLine(text)) {
    if (charset.has(ch.codePointAt(0) ?? 0)) {
      out += ch
      continue
    }
    const base = EXTRA_ASCII[ch] ?? ch.normalize('NFD').replace(/\p{M}/gu, '')
    out += [...base].every((c) => charset.has(c.codePointAt(0) ?? 0)) && base !== '' ? base : '?'
  }
  return out
}

interface Fonts {
  regular: PDFFont
  bold: PDFFont
  charset: ReadonlySet<number>
}

/**
 * Draws one label into a slot. Coordinates passed to the helpers are in label
 * units measured from the label's top-left corner; they are scaled by `k` and
 * flipped into PDF space (origin bottom-left) here.
 */
function drawLabel(page: PDFPage, fonts: Fonts, barcode: PDFImage, parcel: LabelParcel, left: number, top: number, k: number): void {
  const black = rgb(0, 0, 0)
  const grey = rgb(0.4, 0.4, 0.4)
  const width = LABEL_W - 2 * MARGIN
  const px = (x: number): number => left + x * k
  const py = (y: number): number => top - y * k

  /** Text with its top edge at `y`, shortened with an ellipsis to fit `max`. */
  const text = (
    raw: string,
    x: number,
    y: number,
    size: number,
    opts: { bold?: boolean; max?: number; align?: 'left' | 'right'; colour?: typeof black } = {},
  ): void => {
    const font = opts.bold ? fonts.bold : fonts.regular
    const max = opts.max ?? width
    let s = toWinAnsi(raw, fonts.charset)
    if (font.widthOfTextAtSize(s, size) > max) {
      while (s.length > 1 && font.widthOfTextAtSize(s + '…', size) > max) s = s.slice(0, -1)
      s = s.trimEnd() + '…'
    }
    const w = font.widthOfTextAtSize(s, size)
    const x0 = opts.align === 'right' ? x - w : x
    // Helvetica's cap height is ~0.72 em: put the baseline so caps start at y.
    page.drawText(s, { x: px(x0), y: py(y + size * 0.75), size: size * k, font, color: opts.colour ?? black })
  }
  const rule = (y: number, thickness = 1): void =>
    page.drawLine({ start: { x: px(MARGIN), y: py(y) }, end: { x: px(LABEL_W - MARGIN), y: py(y) }, thickness: thickness * k, color: black })

  // Cut guide around the label.
  page.drawRectangle({
    x: px(4),
    y: py(LABEL_H - 4),
    width: (LABEL_W - 8) * k,
    height: (LABEL_H - 8) * k,
    borderColor: rgb(0.75, 0.75, 0.75),
    borderWidth: 0.5 * k,
    borderDashArray: [3 * k, 3 * k],
  })

  let y = MARGIN
  text(parcel.carrier, MARGIN, y, 15, { bold: true, max: width - 100 })
  text(`Parcel ${parcel.parcel_index} / ${parcel.parcel_count}`, LABEL_W - MARGIN, y + 1, 13, { bold: true, align: 'right', max: 96 })
  y += 22
  text(`Order ${parcel.order_id}`, MARGIN, y, 11)
  y += 16
  rule(y, 1.5)
  y += 8

  const r = parcel.recipient
  text('DELIVER TO', MARGIN, y, 7, { bold: true, colour: grey })
  y += 11
  if (parcel.pickup_point) {
    text('PICKUP POINT', MARGIN, y, 8, { bold: true })
    y += 11
    text(parcel.pickup_point, MARGIN, y, 14, { bold: true })
    y += 19
    text(`For: ${r.name}`, MARGIN, y, 11)
    y += 14
    text(r.phone, MARGIN, y, 10)
  } else {
    text(r.name, MARGIN, y, 14, { bold: true })
    y += 18
    if (r.company) {
      text(r.company, MARGIN, y, 10)
      y += 13
    }
    text(r.street, MARGIN, y, 11)
    y += 14
    text(`${r.zip} ${r.city}`, MARGIN, y, 13, { bold: true })
    y += 16
    text(r.country, MARGIN, y, 10)
    y += 13
    text(r.phone, MARGIN, y, 10)
  }

  // COD is what couriers must not miss: white on black; prepaid just framed.
  const codTop = 196
  const codH = 30
  const cod = parcel.cod > 0
  page.drawRectangle({
    x: px(MARGIN),
    y: py(codTop + codH),
    width: width * k,
    height: codH * k,
    color: cod ? black : undefined,
    borderColor: black,
    borderWidth: 1.5 * k,
  })
  text(codLine(parcel), MARGIN + 8, codTop + 8, 15, { bold: true, colour: cod ? rgb(1, 1, 1) : black, max: width - 16 })

  y = codTop + codH + 10
  text('FROM', MARGIN, y, 7, { bold: true, colour: grey })
  y += 10
  const s = parcel.sender
  text(s.name, MARGIN, y, 9, { bold: true })
  y += 11
  text(s.street, MARGIN, y, 9)
  y += 11
  text(`${s.zip} ${s.city}, ${s.country}`, MARGIN, y, 9)
  y += 16
  rule(y)

  // Barcode (bars and human-readable text are both in the bwip-js image),
  // fitted into the rest of the label keeping its aspect ratio.
  const boxTop = y + 10
  const boxH = LABEL_H - MARGIN - boxTop
  const fit = Math.min(width / barcode.width, boxH / barcode.height)
  const bw = barcode.width * fit
  const bh = barcode.height * fit
  page.drawImage(barcode, {
    x: px((LABEL_W - bw) / 2),
    y: py(boxTop + (boxH - bh) / 2 + bh),
    width: bw * k,
    height: bh * k,
  })
}

/** Renders all parcels' labels into one PDF (A4, `labels_per_page` per sheet). */
export async function renderLabelsPdf(parcels: LabelParcel[], layout: PdfLayout): Promise<Uint8Array> {
  assertParcels(parcels)
  const perPage = layout.labels_per_page
  if (perPage !== 1 && perPage !== 2 && perPage !== 4) {
    throw new RangeError(`labels_per_page must be 1, 2 or 4, got ${perPage}`)
  }
  if (!Number.isInteger(layout.first_position) || layout.first_position < 1 || layout.first_position > perPage) {
    throw new RangeError(`first_position must be between 1 and ${perPage}, got ${layout.first_position}`)
  }

  const pdf = await PDFDocument.create()
  pdf.setTitle(`${parcels[0]?.carrier ?? 'Parcel'} labels`)
  pdf.setCreator('MALL Marketplace simulator')
  const regular = await pdf.embedFont(StandardFonts.Helvetica)
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold)
  const fonts: Fonts = { regular, bold, charset: new Set(regular.getCharacterSet()) }

  // One PNG per distinct barcode. bwip-js encodes synchronously, only the
  // PNG compression is async, so running them together costs nothing.
  const distinct = [...new Set(parcels.map((p) => p.barcode))]
  const images = new Map<string, PDFImage>()
  await Promise.all(
    distinct.map(async (code) => {
      const png = await bwipjs.toBuffer({
        bcid: 'code128',
        text: code,
        scale: 3,
        height: 18, // millimetres at scale 1
        includetext: true,
        textxalign: 'center',
        textsize: 11,
      })
      images.set(code, await pdf.embedPng(png))
    }),
  )

  const cols = perPage === 4 ? 2 : 1
  const rows = perPage === 1 ? 1 : 2
  const slotW = A4[0] / cols
  const slotH = A4[1] / rows
  const k = Math.min(slotW / LABEL_W, slotH / LABEL_H)

  let page: PDFPage | undefined
  for (const [i, parcel] of parcels.entries()) {
    const slot = (layout.first_position - 1 + i) % perPage
    if (!page || slot === 0) page = pdf.addPage([A4[0], A4[1]])
    const col = slot % cols
    const row = Math.floor(slot / cols)
    // Centre the scaled label in its slot (halves are wider than a label).
    const left = col * slotW + (slotW - LABEL_W * k) / 2
    const top = A4[1] - row * slotH - (slotH - LABEL_H * k) / 2
    const image = images.get(parcel.barcode)
    if (!image) throw new Error(`barcode image missing for ${parcel.barcode}`)
    drawLabel(page, fonts, image, parcel, left, top, k)
  }

  return pdf.save()
}

// ---------------------------------------------------------------------------
// ZPL

/**
 * `^FD` data ends at the next `^` and `~` starts a control command, so a field
 * holding either is hex-escaped with `^FH` (`_5E`, `_7E`; `_` itself then
 * needs escaping too). Plain fields stay plain, which keeps the output easy
 * to read and grep.
 */
function zplField(data: string): string {
  const clean = oneLine(data)
  if (!/[\^~]/.test(clean)) return `^FD${clean}^FS`
  const escaped = clean.replace(/[_^~]/g, (c) => '_' + c.charCodeAt(0).toString(16).toUpperCase())
  return `^FH_^FD${escaped}^FS`
}

/**
 * Rough number of Code 128 modules for `data` in ^BC automatic mode (digit
 * runs of 4+ packed in pairs into subset C, one symbol per other character),
 * including start, check digit, stop and quiet zones.
 */
function code128Modules(data: string): number {
  let symbols = 2 // start + check
  for (const run of data.match(/\d{4,}|\D|\d{1,3}/g) ?? []) {
    symbols += run.length >= 4 ? Math.ceil(run.length / 2) + 2 : run.length // +2: switch in and out of C
  }
  return symbols * 11 + 2 + 20
}

/** Renders one `^XA … ^XZ` label per parcel for 100 x 150 mm media. */
export function renderLabelsZpl(parcels: LabelParcel[], options: { dpi?: 203 | 300 } = {}): string {
  assertParcels(parcels)
  const dpi = options.dpi ?? 203
  if (dpi !== 203 && dpi !== 300) throw new RangeError(`dpi must be 203 or 300, got ${String(dpi)}`)
  const perMm = dpi === 300 ? 12 : 8
  const d = (mm: number): number => Math.round(mm * perMm)
  const margin = 4
  const usable = 100 - 2 * margin

  return parcels
    .map((parcel) => {
      const cmds: string[] = ['^XA', '^CI28', `^PW${d(100)}`, `^LL${d(150)}`, '^LH0,0']
      /**
       * Font 0 text with its top at (x, y) mm, `h` mm high; truncated to the
       * space left on the line (font 0 averages ~0.55 em per character).
       */
      const text = (s: string, x: number, y: number, h: number, opts: { reverse?: boolean; max?: number } = {}): void => {
        const maxChars = Math.max(1, Math.floor((opts.max ?? 100 - margin - x) / (h * 0.55)))
        const chars = [...oneLine(s)]
        const fitted = chars.length > maxChars ? chars.slice(0, maxChars - 1).join('') + '.' : chars.join('')
        cmds.push(`^FO${d(x)},${d(y)}^A0N,${d(h)},${d(h)}${opts.reverse ? '^FR' : ''}${zplField(fitted)}`)
      }
      const box = (x: number, y: number, w: number, h: number, thickness: number): void => {
        cmds.push(`^FO${d(x)},${d(y)}^GB${d(w)},${d(h)},${Math.max(1, d(thickness))}^FS`)
      }

      text(parcel.carrier, margin, 4, 7)
      text(`Order ${parcel.order_id}`, margin, 13, 5, { max: 52 })
      text(`Parcel ${parcel.parcel_index}/${parcel.parcel_count}`, 60, 13, 5)
      box(margin, 20, usable, 0.4, 0.4)

      const r = parcel.recipient
      text('DELIVER TO', margin, 23, 3)
      let y = 28
      if (parcel.pickup_point) {
        text('PICKUP POINT', margin, y, 3.5)
        text(parcel.pickup_point, margin, y + 5, 6)
        text(`For: ${r.name}`, margin, y + 13, 4.5)
        text(r.phone, margin, y + 19, 4.5)
      } else {
        // Worst case (with a company) the phone line ends at 63.5 mm, above the COD box.
        text(r.name, margin, y, 6)
        y += 7
        if (r.company) {
          text(r.company, margin, y, 4.5)
          y += 5.5
        }
        text(r.street, margin, y, 5)
        text(`${r.zip} ${r.city}`, margin, y + 6, 6)
        text(r.country, margin, y + 13, 4.5)
        text(r.phone, margin, y + 18.5, 4.5)
      }

      // COD: reversed (white on a solid box) so the courier can't miss it.
      const cod = parcel.cod > 0
      box(margin, 66, usable, 12, cod ? 12 : 0.6)
      text(codLine(parcel), margin + 3, 68.5, 7, { reverse: cod, max: usable - 6 })

      text('FROM', margin, 83, 3)
      text(parcel.sender.name, margin, 87, 4)
      text(parcel.sender.street, margin, 92, 3.5)
      text(`${parcel.sender.zip} ${parcel.sender.city}, ${parcel.sender.country}`, margin, 96.5, 3.5)
      box(margin, 102, usable, 0.4, 0.4)

      // Widest module (0.375 mm max) that still fits the barcode on the label.
      const modules = code128Modules(parcel.barcode)
      const module = Math.max(1, Math.min(Math.floor(d(usable) / modules), Math.floor(perMm * 0.375)))
      const barX = Math.max(d(margin), Math.round((d(100) - (modules - 20) * module) / 2))
      cmds.push(`^FO${barX},${d(108)}^BY${module}^BCN,${d(28)},Y,N,N,A${zplField(parcel.barcode)}`)

      cmds.push('^XZ')
      return cmds.join('\n')
    })
    .join('\n') + '\n'
}
