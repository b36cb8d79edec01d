/**
 * Keyboard-wedge scanners type a code as a burst of keys, a few milliseconds apart, ending in
 * Enter. People type far slower. The detector watches key timing and reports a burst that ends
 * in Enter as one scan; anything slower is left to whatever has focus.
 */

export interface WedgeOptions {
  /** Longest gap between two keys of one scan; scanners send 1–20 ms, people 80 ms and more. */
  maxGapMs?: number
  /** Shortest code taken as a scan (EAN-8 is the shortest retail code). */
  minLength?: number
}

export interface KeyInput {
  key: string
  /** Milliseconds, e.g. `KeyboardEvent.timeStamp`. */
  timeStamp: number
}

export type KeyVerdict =
  /** Part of a scan so far: the caller may keep the key from reaching a text field. */
  | 'buffered'
  /** Ended a scan: `onScan` was called. */
  | 'scan'
  /** Not a scanner's key. */
  | 'ignored'

export class WedgeDetector {
  private buffer = ''
  private last = Number.NEGATIVE_INFINITY
  private readonly maxGapMs: number
  private readonly minLength: number

  constructor(
    private readonly onScan: (code: string) => void,
    options: WedgeOptions = {},
  ) {
    this.maxGapMs = options.maxGapMs ?? 40
    this.minLength = options.minLength ?? 4
  }

  handle({ key, timeStamp }: KeyInput): KeyVerdict {
    const gap = timeStamp - this.last
    if (key === 'Enter' || key === 'Tab') {
      const code = this.buffer
      const fast = gap <= this.maxGapMs
      this.reset()
      if (fast && code.length >= this.minLength) {
        this.onScan(code)
        return 'scan'
      }
      return 'ignored'
    }
    if (key.length !== 1) {
      // Shift and other modifiers come between a scanner's keys too; they neither add nor break.
      if (key === 'Shift') return this.buffer === '' ? 'ignored' : 'buffered'
      this.reset()
      return 'ignored'
    }
    if (this.buffer !== '' && gap > this.maxGapMs) this.buffer = ''
    this.buffer += key
    this.last = timeStamp
    // Two keys close together can be a person's rollover; three in a row are a scanner. Until then
    // keys go through (a scan clears what reached the field), so fast typing never loses a key.
    return this.buffer.length >= 3 ? 'buffered' : 'ignored'
  }

  reset(): void {
    this.buffer = ''
    this.last = Number.NEGATIVE_INFINITY
  }
}
