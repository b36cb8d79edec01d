import { writeFileSync } from 'node:fs'
import type { Page } from 'playwright-core'

/**
 * The two ways a code reaches the pack screen in the browser tests: a keyboard-wedge scanner (a
 * burst of keys a few milliseconds apart, ending in Enter) and the camera (Chromium's fake camera
 * playing a video of a printed barcode, made here).
 */

/** What Chromium needs to type one character as a US keyboard would: key, code, virtual key code. */
function keyFor(char: string): { key: string; code: string; windowsVirtualKeyCode: number; text: string } {
  if (/^[0-9]$/.test(char)) return { key: char, code: `Digit${char}`, windowsVirtualKeyCode: char.charCodeAt(0), text: char }
  if (/^[a-zA-Z]$/.test(char)) return { key: char, code: `Key${char.toUpperCase()}`, windowsVirtualKeyCode: char.toUpperCase().charCodeAt(0), text: char }
  if (char === '-') return { key: '-', code: 'Minus', windowsVirtualKeyCode: 189, text: '-' }
  throw new Error(`the test scanner cannot type ${JSON.stringify(char)}`)
}

/**
 * A keyboard-wedge scanner reads `code`: real key presses (trusted, as a USB scanner's are), one
 * every `gapMs` (or with the given gap before each key after the first, Enter included, as a
 * Bluetooth scanner's jitter), then Enter. Like the hardware's, the keys carry the time they were
 * pressed, so a busy test process delivering them late does not make a fast scanner look like a
 * slow typist.
 */
export async function scanWithWedge(page: Page, code: string, gapMs: number | readonly number[] = 5): Promise<void> {
  const cdp = await page.context().newCDPSession(page)
  try {
    const start = Date.now() / 1000
    const keys = [...code].map(keyFor)
    keys.push({ key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 13, text: '\r' })
    let offsetMs = 0
    for (const [i, key] of keys.entries()) {
      if (i > 0) offsetMs += typeof gapMs === 'number' ? gapMs : (gapMs[(i - 1) % gapMs.length] ?? 5)
      const timestamp = start + offsetMs / 1000
      await cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', timestamp, ...key, unmodifiedText: key.text })
      await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', timestamp: timestamp + 0.001, key: key.key, code: key.code, windowsVirtualKeyCode: key.windowsVirtualKeyCode })
    }
  } finally {
    await cdp.detach()
  }
}

// EAN-13 symbology (ISO/IEC 15420): each digit is 7 modules; '1' is a bar, '0' a space.
const L_CODES = ['0001101', '0011001', '0010011', '0111101', '0100011', '0110001', '0101111', '0111011', '0110111', '0001011']
const R_CODES = L_CODES.map((code) => [...code].map((bit) => (bit === '1' ? '0' : '1')).join(''))
const G_CODES = R_CODES.map((code) => [...code].reverse().join(''))
/** The first digit is not drawn: it picks the L/G parity of the six left-hand digits. */
const PARITY = ['LLLLLL', 'LLGLGG', 'LLGGLG', 'LLGGGL', 'LGLLGG', 'LGGLLG', 'LGGGLL', 'LGLGLG', 'LGLGGL', 'LGGLGL']

/** The 95 modules of an EAN-13 code: start guard, six left digits (L/G), centre guard, six right digits (R), end guard. */
export function ean13Modules(code: string): string {
  if (!/^\d{13}$/.test(code)) throw new Error(`not an EAN-13: ${code}`)
  const digits = [...code].map(Number)
  const parity = PARITY[digits[0] as number] as string
  let modules = '101'
  for (let i = 1; i <= 6; i++) modules += ((parity[i - 1] === 'L' ? L_CODES : G_CODES)[digits[i] as number]) as string
  modules += '01010'
  for (let i = 7; i <= 12; i++) modules += R_CODES[digits[i] as number] as string
  modules += '101'
  return modules
}

export interface BarcodeVideoOptions {
  width?: number
  height?: number
  /** Pixels per module. */
  moduleWidth?: number
  /** Height of the bars, in pixels. */
  barHeight?: number
  frames?: number
}

/**
 * Writes a YUV4MPEG2 video (what Chromium's `--use-file-for-fake-video-capture` plays, looping)
 * of a barcode's modules drawn black on white, centred, with a wide quiet zone all round. 4:2:0:
 * a luma plane, then quarter-size chroma planes held at 128 (no colour).
 */
export function writeBarcodeVideo(path: string, modules: string, options: BarcodeVideoOptions = {}): void {
  const { width = 640, height = 480, moduleWidth = 3, barHeight = 160, frames = 12 } = options
  const BLACK = 10
  const WHITE = 235
  const symbolWidth = modules.length * moduleWidth
  if (symbolWidth + 20 * moduleWidth > width) throw new Error(`a ${modules.length}-module code at ${moduleWidth} px does not fit ${width} px with its quiet zones`)
  const left = Math.floor((width - symbolWidth) / 2)
  const top = Math.floor((height - barHeight) / 2)

  const luma = Buffer.alloc(width * height, WHITE)
  for (let y = top; y < top + barHeight; y++) {
    for (let m = 0; m < modules.length; m++) {
      if (modules[m] !== '1') continue
      luma.fill(BLACK, y * width + left + m * moduleWidth, y * width + left + (m + 1) * moduleWidth)
    }
  }
  const chroma = Buffer.alloc((width / 2) * (height / 2), 128)
  const frame = Buffer.concat([Buffer.from('FRAME\n', 'ascii'), luma, chroma, chroma])
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`, 'ascii')
  writeFileSync(path, Buffer.concat([header, ...Array.from({ length: frames }, () => frame)]))
}
