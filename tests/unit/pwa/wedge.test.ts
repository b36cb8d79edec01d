import { beforeEach, describe, expect, it } from 'vitest'
import { MISREAD_PREFIX, MISREAD_STALLED, MISREAD_SUFFIX, parseAffix, WedgeDetector, type KeyVerdict, type WedgeOptions } from '../../../src/services/scan/wedge.ts'

/**
 * A keyboard-wedge scanner types its code as a burst of keys ending in Enter: USB scanners a few
 * milliseconds apart, Bluetooth scanners and busy tablets with gaps up to about 50 ms. People
 * type slower. A whole burst is one scan; a burst that cannot be read whole is a misread, never a
 * shorter code; typing is left to the field with focus.
 */

let detector: WedgeDetector
let now: number

function make(options: WedgeOptions = {}): void {
  detector = new WedgeDetector(options)
}

beforeEach(() => {
  now = 1000
  make()
})

/** Presses keys with the given gaps (ms) before each; a single number is used for every key. */
function press(keys: string[], gaps: number | number[], strict = false): KeyVerdict[] {
  return keys.map((key, i) => {
    now += typeof gaps === 'number' ? gaps : (gaps[i % gaps.length] ?? 0)
    return detector.handle({ key, timeStamp: now, strict })
  })
}

/** The codes scanned by these verdicts, in order. */
function scansOf(verdicts: KeyVerdict[]): string[] {
  return verdicts.flatMap((v) => (v.kind === 'scan' ? [v.code] : []))
}

function scan(keys: string[], gaps: number | number[], strict = false): string[] {
  return scansOf(press(keys, gaps, strict))
}

const chars = (code: string) => [...code]

/** A USB scanner: keys 5–20 ms apart, Enter right after. */
const SCANNER_GAPS = [5, 12, 8, 20, 6, 15, 9]
/** A person: keys 80–250 ms apart. */
const HUMAN_GAPS = [80, 140, 250, 95, 180, 120]

/** A small seeded generator, so a recorded burst is the same on every run. */
function random(seed: number): () => number {
  let state = seed
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * The gaps of a burst as recorded from a scanner sending a key every `pace` ms: each gap off by
 * up to half the pace (and at least a few ms either way), and now and then a busy tablet's
 * hiccup of 40–60 ms.
 */
function recordedGaps(pace: number, keys: number, next: () => number): number[] {
  const jitter = Math.max(pace / 2, 5)
  return Array.from({ length: keys }, () => {
    if (next() < 0.1) return 40 + next() * 20
    return Math.max(1, pace + (next() * 2 - 1) * jitter)
  })
}

/** Retail and warehouse codes of the lengths a packer scans. */
const CODES = ['4006381333931', '036000291452', '96385074', '10036000291459', 'BOX-12', 'KETTLE-17', '5901234123457', '8594001021499']

describe('WedgeDetector', () => {
  it('takes a burst of keys 5–20 ms apart ending in Enter as one scan, its first keys included', () => {
    const verdicts = press([...chars('4006381333931'), 'Enter'], SCANNER_GAPS)
    expect(scansOf(verdicts)).toEqual(['4006381333931'])
    // No key is held back from the field; the first marks where the burst began.
    expect(verdicts[0]).toEqual({ kind: 'key', starts: true })
    expect(verdicts.slice(1, -1).every((v) => v.kind === 'key' && !v.starts)).toBe(true)
  })

  for (const pace of [5, 15, 35, 50]) {
    it(`reads 50 of 50 recorded bursts at ${pace} ms a key with jitter, each whole`, () => {
      const next = random(pace)
      const read: string[] = []
      const sent: string[] = []
      for (let i = 0; i < 50; i++) {
        const code = CODES[i % CODES.length] as string
        sent.push(code)
        now += 400 + next() * 1000
        const keys = [...chars(code), 'Enter']
        const gaps = recordedGaps(pace, keys.length, next)
        // The first gap is the pause since the last scan.
        gaps[0] = 0
        read.push(...scan(keys, gaps))
      }
      expect(read).toEqual(sent)
    })
  }

  it('lets a person’s two quick keys (rollover) through to the field, and takes no scan', () => {
    const verdicts = press([...chars('ab'), ...chars('cd')], [10, 150, 12, 160])
    expect(verdicts.every((v) => v.kind === 'key')).toBe(true)
    expect(scansOf(verdicts)).toEqual([])
  })

  it('never takes typing at human speed for a scan, Enter or not', () => {
    const verdicts = press([...chars('4006381333931'), 'Enter'], HUMAN_GAPS)
    expect(scansOf(verdicts)).toEqual([])
    // Enter reaches the field: the person's form submits.
    expect(verdicts.at(-1)).toEqual({ kind: 'pass' })
    expect(press([...chars('box-12'), 'Enter'], [80, 250]).at(-1)).toEqual({ kind: 'pass' })
  })

  it('takes each of two scans in a row on its own', () => {
    expect(scan([...chars('4006381333931'), 'Enter'], 8)).toEqual(['4006381333931'])
    now += 400
    expect(scan([...chars('96385074'), 'Enter'], 8)).toEqual(['96385074'])
  })

  it('takes a burst after slow typing as the burst alone', () => {
    press(chars('ab'), HUMAN_GAPS)
    now += 300
    expect(scan([...chars('036000291452'), 'Enter'], SCANNER_GAPS)).toEqual(['036000291452'])
  })

  it('does not glue a person’s last key onto a burst that starts a moment later', () => {
    press(chars('ab'), 150)
    // The scanner starts 100 ms after the last typed key.
    expect(scan([...chars('96385074'), 'Enter'], [100, 10, 10, 10, 10, 10, 10, 10, 10])).toEqual(['96385074'])
  })

  it('lets Shift come between a scanner’s keys without adding to or breaking the code', () => {
    // Upper-case letters are sent as Shift + key by a wedge scanner.
    const keys = ['Shift', 'B', 'Shift', 'O', 'Shift', 'X', '-', '1', '2', 'Enter']
    const verdicts = press(keys, [5, 4, 6, 4, 5, 4, 8, 8, 8, 8])
    expect(scansOf(verdicts)).toEqual(['BOX-12'])
    expect(verdicts[0]).toEqual({ kind: 'pass' })
  })

  it('does not take too short a burst for a scan', () => {
    expect(press([...chars('abc'), 'Enter'], 8).at(-1)).toEqual({ kind: 'pass' })
    // Four characters is the shortest code by default.
    expect(scan([...chars('ab12'), 'Enter'], 8)).toEqual(['ab12'])
  })

  it('honours a longer minimum length', () => {
    make({ minLength: 8 })
    expect(scan([...chars('1234567'), 'Enter'], 8)).toEqual([])
    expect(scan([...chars('96385074'), 'Enter'], 8)).toEqual(['96385074'])
  })

  it('takes Tab as the end of a scan, as scanners set up with a Tab suffix send it', () => {
    expect(scan([...chars('4006381333931'), 'Tab'], SCANNER_GAPS)).toEqual(['4006381333931'])
  })

  it('leaves a Tab typed by a person to move the focus', () => {
    expect(press([...chars('ab'), 'Tab'], 200).at(-1)).toEqual({ kind: 'pass' })
  })

  it('does not take a burst for a scan when Enter comes late', () => {
    press(chars('4006381333931'), 8)
    now += 300
    expect(detector.handle({ key: 'Enter', timeStamp: now })).toEqual({ kind: 'pass' })
  })

  it('drops a burst broken by another named key (Backspace, an arrow) rather than take its end', () => {
    const verdicts = press([...chars('400638'), 'Backspace', ...chars('1333931'), 'Enter'], 8)
    expect(scansOf(verdicts)).toEqual([])
    expect(verdicts.at(-1)).toEqual({ kind: 'misread', message: MISREAD_STALLED })
  })

  it('never takes the rest of a burst that stalled half-way for a code: a misread, whatever the pause', () => {
    for (const pause of [90, 150, 400, 900]) {
      const verdicts = press([...chars('0036000'), ...chars('291452'), 'Enter'], [8, 8, 8, 8, 8, 8, 8, pause, 8, 8, 8, 8, 8, 8])
      expect(scansOf(verdicts), `a pause of ${pause} ms`).toEqual([])
      expect(verdicts.at(-1)).toEqual({ kind: 'misread', message: MISREAD_STALLED })
      // The rest is not a burst of its own: the fields keep what they were before its start.
      expect(verdicts[7]).toEqual({ kind: 'key', starts: false })
      now += 2000
    }
  })

  it('reads a burst again after a stalled one has been given up', () => {
    press(chars('999999'), 8)
    now += 1500
    expect(scan([...chars('96385074'), 'Enter'], 8)).toEqual(['96385074'])
  })

  it('forgets a half burst on reset', () => {
    press(chars('400638'), 8)
    detector.reset()
    now += 2000
    expect(scan([...chars('1333931'), 'Enter'], 8)).toEqual(['1333931'])
  })

  it('accepts keys up to the longest gap and no further', () => {
    make({ maxGapMs: 30 })
    expect(scan([...chars('12345678'), 'Enter'], 30)).toEqual(['12345678'])
    now += 2000
    expect(scan([...chars('12345678'), 'Enter'], 31)).toEqual([])
  })

  it('takes Android’s nameless keys (a soft keyboard) for a person at work', () => {
    const verdicts = press(['Unidentified', 'Unidentified', 'Unidentified', 'Unidentified', 'Enter'], 8)
    expect(verdicts.every((v) => v.kind === 'pass')).toBe(true)
  })

  describe('in a form being filled in', () => {
    it('leaves a fast typist’s word and Enter to the form', () => {
      // 60 ms a key is quick for a person and slow for a USB scanner.
      expect(press([...chars('torn box'), 'Enter'], 60, true).at(-1)).toEqual({ kind: 'pass' })
    })

    it('still takes a burst no person can type', () => {
      expect(scan([...chars('4006381333931'), 'Enter'], SCANNER_GAPS, true)).toEqual(['4006381333931'])
    })

    it('leaves a stalled burst to the form instead of reporting it', () => {
      expect(press([...chars('400638'), ...chars('1333931'), 'Enter'], [8, 8, 8, 8, 8, 8, 300, 8], true).at(-1)).toEqual({ kind: 'pass' })
    })
  })

  describe('with a prefix and suffix set for the scanner', () => {
    it('strips them from the code', () => {
      detector.affixes = { prefix: '~', suffix: '#' }
      expect(scan([...chars('~4006381333931#'), 'Enter'], 12)).toEqual(['4006381333931'])
    })

    it('ends the scan at the suffix when the scanner sends no Enter, and keeps an Enter after it from the field', () => {
      detector.affixes = { prefix: '', suffix: '#' }
      const verdicts = press(chars('96385074#'), 10)
      expect(scansOf(verdicts)).toEqual(['96385074'])
      expect(verdicts.at(-1)?.kind).toBe('scan')
      expect(detector.handle({ key: 'Enter', timeStamp: (now += 10) })).toEqual({ kind: 'swallow' })
      // A later Enter is the person's again.
      expect(detector.handle({ key: 'Enter', timeStamp: (now += 500) })).toEqual({ kind: 'pass' })
    })

    it('does not end a code at a suffix character inside it', () => {
      detector.affixes = { prefix: '', suffix: '#' }
      expect(scan([...chars('AB#1234#'), 'Enter'], 10)).toEqual(['AB#1234'])
    })

    it('takes control characters such as STX and ETX, written by name in Settings', () => {
      detector.affixes = { prefix: parseAffix('<STX>'), suffix: parseAffix('<ETX>') }
      expect(scan(['\u0002', ...chars('036000291452'), '\u0003', 'Enter'], 9)).toEqual(['036000291452'])
      expect(parseAffix(']C1<GS>')).toBe(']C1\u001d')
      expect(parseAffix('<XYZ>')).toBe('<XYZ>')
    })

    it('reports a burst that lost its prefix as a misread, not as a shorter code', () => {
      detector.affixes = { prefix: '~', suffix: '' }
      expect(press([...chars('4006381333931'), 'Enter'], 9).at(-1)).toEqual({ kind: 'misread', message: MISREAD_PREFIX })
    })

    it('reports a burst without its suffix as a misread', () => {
      detector.affixes = { prefix: '~', suffix: '#' }
      expect(press([...chars('~4006381333931'), 'Enter'], 9).at(-1)).toEqual({ kind: 'misread', message: MISREAD_SUFFIX })
    })

    it('takes a prefixed burst in a form as a scan, whatever its pace', () => {
      detector.affixes = { prefix: '~', suffix: '' }
      expect(scan([...chars('~96385074'), 'Enter'], 50, true)).toEqual(['96385074'])
    })

    it('leaves typing without the prefix to the person', () => {
      detector.affixes = { prefix: '~', suffix: '' }
      expect(press([...chars('4006381333931'), 'Enter'], HUMAN_GAPS).at(-1)).toEqual({ kind: 'pass' })
    })
  })
})
