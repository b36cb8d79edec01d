import { phrase, type Phrase } from '@/i18n/phrase'
/**
 * Keyboard-wedge scanners type a code as a burst of keys ending in Enter (or Tab, or a suffix set
 * on the scanner). USB scanners send a key every few milliseconds; Bluetooth scanners and busy
 * tablets deliver them with gaps up to about 50 ms; people type slower. The detector watches key
 * timing and reports a whole burst as one scan.
 *
 * It never keeps a key from the field that has focus: the caller takes a recognised burst's keys
 * back out of the field, so a person's typing is never lost or delayed, and the first keys of a
 * burst (which cannot be told from typing when they come) are part of the code. A burst that
 * cannot be read whole (it stalled half-way, or its prefix is missing) is reported as a misread,
 * never as the part that came after the stall.
 */

export interface WedgeAffixes {
  /** Characters the scanner is set to send before each code; stripped, and required when set. */
  prefix: string
  /** Characters the scanner sends after each code; stripped, and they end a scan without Enter. */
  suffix: string
}

export interface WedgeOptions {
  /** Longest gap between two keys of one scan. Scanners send 1–50 ms, late by a busy tablet's hiccup at times; people mostly 80 ms and more. */
  maxGapMs?: number
  /**
   * Longest gap in a burst typed into a form being filled in (a note, a select). Only a burst no
   * person can type counts as a scan there, so typing in the form is never taken for one.
   */
  strictGapMs?: number
  /** Shortest code taken as a scan (EAN-8 is the shortest retail code). */
  minLength?: number
  /** A pause longer than this after a burst's start means the next keys are a new burst, not its rest. */
  stallMs?: number
}

export interface KeyInput {
  /** `KeyboardEvent.key`: one character, Enter, Tab, Shift, … (a control character for Ctrl + letter). */
  key: string
  /** Milliseconds, e.g. `KeyboardEvent.timeStamp` (the time the key was pressed, not handled). */
  timeStamp: number
  /** The key goes to a form being filled in rather than to a scan field. */
  strict?: boolean
}

export type KeyVerdict =
  /** Not a scanner's key, or not yet known to be: the key does what it would do. */
  | { kind: 'pass' }
  /** A character of a possible burst; `starts` when it begins one (the caller notes the fields as they were). */
  | { kind: 'key'; starts: boolean }
  /** Ended a scan: the caller stops this key and takes the burst's keys back out of the fields. */
  | { kind: 'scan'; code: string }
  /** Ended a scanner's burst that cannot be read whole: nothing is taken; the packer scans again. */
  | { kind: 'misread'; message: Phrase }
  /** The Enter a scanner sends after a suffix that already ended the scan: the caller stops it. */
  | { kind: 'swallow' }

const PASS: KeyVerdict = { kind: 'pass' }

/** Keys that come between a scanner's characters without adding to or breaking the code. */
const NEUTRAL_KEYS = new Set(['Shift', 'AltGraph', 'CapsLock'])

export const MISREAD_STALLED = phrase('scan.misread.stalled')
export const MISREAD_PREFIX = phrase('scan.misread.prefix')
export const MISREAD_SUFFIX = phrase('scan.misread.suffix')

export class WedgeDetector {
  affixes: WedgeAffixes = { prefix: '', suffix: '' }
  private buffer = ''
  private last = Number.NEGATIVE_INFINITY
  /** Longest gap seen inside the current burst. */
  private widest = 0
  /** The current burst came right after a scanner-like burst stalled: it is that burst's rest. */
  private afterStall = false
  /** When another key last broke into what looked like a scanner's burst. */
  private brokenAt = Number.NEGATIVE_INFINITY
  /** Until when an Enter or Tab belongs to a scan a suffix has ended. */
  private swallowUntil = Number.NEGATIVE_INFINITY
  private readonly maxGapMs: number
  private readonly strictGapMs: number
  private readonly minLength: number
  private readonly stallMs: number

  constructor(options: WedgeOptions = {}) {
    this.maxGapMs = options.maxGapMs ?? 80
    this.strictGapMs = options.strictGapMs ?? 35
    this.minLength = options.minLength ?? 4
    this.stallMs = options.stallMs ?? 1000
  }

  handle({ key, timeStamp, strict = false }: KeyInput): KeyVerdict {
    const gap = timeStamp - this.last
    if (key === 'Enter' || key === 'Tab') {
      if (this.buffer === '' && timeStamp <= this.swallowUntil) {
        this.swallowUntil = Number.NEGATIVE_INFINITY
        return { kind: 'swallow' }
      }
      return this.end(gap, strict, timeStamp, false)
    }
    if (NEUTRAL_KEYS.has(key)) return this.buffer === '' ? PASS : { kind: 'key', starts: false }
    if ([...key].length !== 1) {
      // Backspace, arrows, an IME's "Process" or Android's "Unidentified": a person at work. If
      // they broke into a scanner's burst, what follows is not a code of its own either.
      const broke = this.looksLikeScannerStart()
      this.reset()
      if (broke) this.brokenAt = timeStamp
      return PASS
    }
    if (this.buffer !== '' && gap <= this.maxGapMs) {
      this.buffer += key
      this.widest = Math.max(this.widest, gap)
      this.last = timeStamp
      // A scanner set to a suffix may send no Enter: a whole code and its suffix end the scan.
      if (this.endsWithSuffix()) return this.end(gap, strict, timeStamp, true)
      return { kind: 'key', starts: false }
    }
    // A new burst. If the one before looked like a scanner's and stopped short of its end only a
    // moment ago, these keys are its rest: they must not be taken for a code of their own.
    this.afterStall = (gap <= this.stallMs && this.looksLikeScannerStart()) || timeStamp - this.brokenAt <= this.stallMs
    this.brokenAt = Number.NEGATIVE_INFINITY
    this.buffer = key
    this.widest = 0
    this.last = timeStamp
    return { kind: 'key', starts: !this.afterStall }
  }

  reset(): void {
    this.buffer = ''
    this.last = Number.NEGATIVE_INFINITY
    this.widest = 0
    this.afterStall = false
  }

  private looksLikeScannerStart(): boolean {
    const { prefix } = this.affixes
    if (prefix !== '' && this.buffer.startsWith(prefix)) return true
    // Two quick keys can be a person's rollover; three in a row are a scanner.
    return this.buffer.length >= 3
  }

  private endsWithSuffix(): boolean {
    const { prefix, suffix } = this.affixes
    if (suffix === '' || !this.buffer.endsWith(suffix) || (prefix !== '' && !this.buffer.startsWith(prefix))) return false
    return this.buffer.length - prefix.length - suffix.length >= this.minLength
  }

  /** Enter, Tab or the suffix after the buffer: a scan, a misread, or a key for the field. */
  private end(gap: number, strict: boolean, timeStamp: number, bySuffix: boolean): KeyVerdict {
    const burst = this.buffer
    const widest = Math.max(this.widest, gap)
    const afterStall = this.afterStall
    this.reset()
    if (burst === '' || gap > this.maxGapMs) return PASS
    const { prefix, suffix } = this.affixes
    // In a form, only an unmistakable burst is a scan; anything else is the person's typing.
    const misread = (message: Phrase): KeyVerdict => (strict ? PASS : { kind: 'misread', message })
    if (afterStall) return misread(MISREAD_STALLED)
    let code = burst
    if (prefix !== '') {
      if (!code.startsWith(prefix)) return code.length >= this.minLength ? misread(MISREAD_PREFIX) : PASS
      code = code.slice(prefix.length)
    }
    if (suffix !== '') {
      if (!code.endsWith(suffix)) return code.length >= this.minLength ? misread(MISREAD_SUFFIX) : PASS
      code = code.slice(0, -suffix.length)
    }
    if (code.length < this.minLength) return PASS
    if (strict && prefix === '' && widest > this.strictGapMs) return PASS
    // A scanner set to send a suffix may send Enter after it as well: that Enter is the scan's.
    if (bySuffix) this.swallowUntil = timeStamp + this.maxGapMs
    return { kind: 'scan', code }
  }
}

/**
 * The prefix or suffix as set in Settings, as the characters the scanner sends. Control
 * characters are written by their ASCII names in angle brackets, e.g. `<STX>`, `<ETX>`, `<GS>`.
 */
export function parseAffix(text: string): string {
  return text.replace(/<([A-Z]{2,3})>/g, (whole, name: string) => {
    const index = CONTROL_NAMES.indexOf(name)
    return index < 0 ? whole : String.fromCharCode(index)
  })
}

/** ASCII names of the control characters 0–31, by code. */
const CONTROL_NAMES = [
  'NUL', 'SOH', 'STX', 'ETX', 'EOT', 'ENQ', 'ACK', 'BEL', 'BS', 'HT', 'LF', 'VT', 'FF', 'CR', 'SO', 'SI',
  'DLE', 'DC1', 'DC2', 'DC3', 'DC4', 'NAK', 'SYN', 'ETB', 'CAN', 'EM', 'SUB', 'ESC', 'FS', 'GS', 'RS', 'US',
]
