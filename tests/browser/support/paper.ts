import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { BarcodeFormat, BinaryBitmap, DecodeHintType, HybridBinarizer, MultiFormatReader, RGBLuminanceSource } from '@zxing/library'
import { PDFDocument } from 'pdf-lib'
import { PNG } from 'pngjs'
import type { Locator, Page } from 'playwright-core'

/**
 * What comes out of the printer, read back the way a person or a scanner would: the pages of the
 * PDF Chromium prints (their count and paper size), and the barcodes on them decoded from pixels.
 */

/** PDF points (1/72 in) in a millimetre. */
export const PT_PER_MM = 72 / 25.4

/** Paper sizes in points, portrait, as printers name them. */
export const PAPER_PT = {
  A4: { width: 210 * PT_PER_MM, height: 297 * PT_PER_MM },
  A5: { width: 148 * PT_PER_MM, height: 210 * PT_PER_MM },
  '100x150': { width: 100 * PT_PER_MM, height: 150 * PT_PER_MM },
  '4x6': { width: 4 * 72, height: 6 * 72 },
} as const

export interface PageSize {
  width: number
  height: number
}

/** Prints the page as the browser's print dialog would (print media, the page's own `@page` size). */
export async function printToPdf(page: Page): Promise<Uint8Array> {
  await page.emulateMedia({ media: 'print' })
  await page.evaluate(() => document.fonts.ready.then(() => undefined))
  return page.pdf({ preferCSSPageSize: true, printBackground: true })
}

/** The size of every page of a PDF, in points. */
export async function pdfPageSizes(pdf: Uint8Array): Promise<PageSize[]> {
  const document = await PDFDocument.load(pdf)
  return document.getPages().map((p) => p.getSize())
}

/** Whether every page is `expected` within `tolerance` points (printers round to whole points at best). */
export function sizesMatch(sizes: PageSize[], expected: PageSize, tolerance = 1): boolean {
  return sizes.every((s) => Math.abs(s.width - expected.width) <= tolerance && Math.abs(s.height - expected.height) <= tolerance)
}

/** Rounds sizes for a readable failure message. */
export function rounded(sizes: PageSize[]): PageSize[] {
  return sizes.map((s) => ({ width: Math.round(s.width * 10) / 10, height: Math.round(s.height * 10) / 10 }))
}

/**
 * Decodes the one linear barcode in a PNG screenshot (Code 128 and the other 1D symbologies a
 * warehouse scanner reads), or throws. The pixels are the proof: nothing of the page's markup is read.
 */
export function decodeBarcode(png: Buffer): string {
  const image = PNG.sync.read(png)
  const { width, height, data } = image
  const luminance = new Uint8ClampedArray(width * height)
  for (let i = 0; i < width * height; i++) {
    const r = data[i * 4] as number
    const g = data[i * 4 + 1] as number
    const b = data[i * 4 + 2] as number
    const a = (data[i * 4 + 3] as number) / 255
    // Transparent pixels are paper (white).
    luminance[i] = Math.round((0.299 * r + 0.587 * g + 0.114 * b) * a + 255 * (1 - a))
  }
  const reader = new MultiFormatReader()
  const hints = new Map<DecodeHintType, unknown>([
    [DecodeHintType.POSSIBLE_FORMATS, [BarcodeFormat.CODE_128, BarcodeFormat.CODE_39, BarcodeFormat.EAN_13, BarcodeFormat.ITF]],
    [DecodeHintType.TRY_HARDER, true],
  ])
  reader.setHints(hints)
  const bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(luminance, width, height)))
  return reader.decode(bitmap).getText()
}

/**
 * Screenshots an element (at the context's device scale factor) and decodes its barcode. A scanner
 * gets a few looks, as a packer re-aims it: a screenshot taken while the page still moves can miss
 * (each miss is reported). When every look misses, the last picture is kept and named in the error.
 */
export async function readBarcode(element: Locator, looks = 3): Promise<string> {
  let png: Buffer | null = null
  let last: unknown
  for (let look = 1; look <= looks; look++) {
    png = await element.screenshot({ animations: 'disabled' })
    try {
      const text = decodeBarcode(png)
      if (look > 1) console.warn(`barcode read on look ${look} of ${looks}: ${text}`)
      return text
    } catch (error) {
      last = error
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
  }
  const kept = join(mkdtempSync(join(tmpdir(), 'unreadable-barcode-')), 'barcode.png')
  writeFileSync(kept, png as Buffer)
  throw new Error(`no barcode could be read in ${looks} screenshots of ${String(element)}; the last one is ${kept}`, { cause: last })
}

export interface Overflow {
  label: string
  scrollWidth: number
  clientWidth: number
  scrollHeight: number
  clientHeight: number
}

/** Every element matching `selector` whose content does not fit its box (text cut off at the edge). */
export function overflowing(page: Page, selector: string): Promise<Overflow[]> {
  return page.locator(selector).evaluateAll((elements) =>
    elements
      .map((el) => ({
        label: el.getAttribute('aria-label') ?? el.tagName,
        scrollWidth: el.scrollWidth,
        clientWidth: el.clientWidth,
        scrollHeight: el.scrollHeight,
        clientHeight: el.clientHeight,
      }))
      .filter((box) => box.scrollHeight > box.clientHeight + 1 || box.scrollWidth > box.clientWidth + 1),
  )
}
