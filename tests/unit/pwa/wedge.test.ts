import { beforeEach, describe, expect, it } from 'vitest'
import { WedgeDetector, type KeyVerdict, type WedgeOptions } from '../../../src/services/scan/wedge.ts'

/**
 * A keyboard-wedge scanner types its code as a burst of keys a few milliseconds apart, ending in
 * Enter; people type far slower. Only a burst is a scan; typing is left to the field with focus.
 */

let scans: string[]
let detector: WedgeDetector
let now: number

function make(options: WedgeOptions = {}): void {
  scans = []
  detector = new WedgeDetector((code) => scans.push(code), options)
}

beforeEach(() => {
  now = 1000
  make()
})

/** Presses keys with the given gaps (ms) before each; a single number is used for every key. */
function press(keys: string[], gaps: number | number[]): KeyVerdict[] {
  return keys.map((key, i) => {
    now += typeof gaps === 'number' ? gaps : (gaps[i % gaps.length] ?? 0)
    return detector.handle({ key, timeStamp: now })
  })
}

const chars = (code: string) => [...code]

/** A scanner: keys 5–20 ms apart, Enter right after. */
const SCANNER_GAPS = [5, 12, 8, 20, 6, 15, 9]
/** A person: keys 80–250 ms apart. */
const HUMAN_GAPS = [80, 140, 250, 95, 180, 120]

describe('WedgeDetector', () => {
  it('takes a burst of keys 5–20 ms apart ending in Enter as one scan', () => {
    const verdicts = press([...chars('4006381333931'), 'Enter'], SCANNER_GAPS)
    expect(scans).toEqual(['4006381333931'])
    // Two keys could be a person's rollover; from the third fast key on, they are kept from the field.
    expect(verdicts.slice(0, 2)).toEqual(['ignored', 'ignored'])
    expect(verdicts.slice(2, -1).every((v) => v === 'buffered')).toBe(true)
    expect(verdicts.at(-1)).toBe('scan')
  })

  it('lets a person’s two quick keys (rollover) through to the field, losing none', () => {
    const verdicts = press([...chars('ab'), ...chars('cd')], [10, 150, 12, 160])
    expect(verdicts).toEqual(['ignored', 'ignored', 'ignored', 'ignored'])
    expect(scans).toEqual([])
  })

  it('never takes typing at human speed for a scan, Enter or not', () => {
    const verdicts = press([...chars('4006381333931'), 'Enter'], HUMAN_GAPS)
    expect(scans).toEqual([])
    // Every key reaches the field: nothing is swallowed.
    expect(verdicts.every((v) => v === 'ignored')).toBe(true)
    // Even short words typed by a person, then Enter.
    expect(press([...chars('box-12'), 'Enter'], [80, 250])).toEqual(Array(7).fill('ignored'))
    expect(scans).toEqual([])
  })

  it('takes each of two scans in a row on its own', () => {
    press([...chars('4006381333931'), 'Enter'], 8)
    now += 400
    press([...chars('96385074'), 'Enter'], 8)
    expect(scans).toEqual(['4006381333931', '96385074'])
  })

  it('takes a burst after slow typing as the burst alone', () => {
    press(chars('abc'), HUMAN_GAPS)
    now += 300
    const verdicts = press([...chars('036000291452'), 'Enter'], SCANNER_GAPS)
    expect(scans).toEqual(['036000291452'])
    expect(verdicts.at(-1)).toBe('scan')
  })

  it('does not glue a person’s last key onto a burst that starts a moment later', () => {
    press(chars('ab'), 150)
    // The scanner starts 100 ms after the last typed key.
    press([...chars('96385074'), 'Enter'], [100, 10, 10, 10, 10, 10, 10, 10, 10])
    expect(scans).toEqual(['96385074'])
  })

  it('lets Shift come between a scanner’s keys without adding to or breaking the code', () => {
    // Upper-case letters are sent as Shift + key by a wedge scanner.
    const keys = ['Shift', 'B', 'Shift', 'O', 'Shift', 'X', '-', '1', '2', 'Enter']
    const verdicts = press(keys, [5, 4, 6, 4, 5, 4, 8, 8, 8, 8])
    expect(scans).toEqual(['BOX-12'])
    // A leading Shift is nothing yet; one after a key is part of the burst.
    expect(verdicts[0]).toBe('ignored')
    expect(verdicts[2]).toBe('buffered')
  })

  it('does not take too short a burst for a scan', () => {
    const verdicts = press([...chars('abc'), 'Enter'], 8)
    expect(scans).toEqual([])
    expect(verdicts.at(-1)).toBe('ignored')
    // Four characters is the shortest code by default.
    press([...chars('ab12'), 'Enter'], 8)
    expect(scans).toEqual(['ab12'])
  })

  it('honours a longer minimum length', () => {
    make({ minLength: 8 })
    press([...chars('1234567'), 'Enter'], 8)
    expect(scans).toEqual([])
    press([...chars('96385074'), 'Enter'], 8)
    expect(scans).toEqual(['96385074'])
  })

  it('takes Tab as the end of a scan, as scanners set up with a Tab suffix send it', () => {
    const verdicts = press([...chars('4006381333931'), 'Tab'], SCANNER_GAPS)
    expect(scans).toEqual(['4006381333931'])
    expect(verdicts.at(-1)).toBe('scan')
  })

  it('leaves a Tab typed by a person to move the focus', () => {
    expect(press([...chars('ab'), 'Tab'], 200)).toEqual(['ignored', 'ignored', 'ignored'])
    expect(scans).toEqual([])
  })

  it('does not take a burst for a scan when Enter comes late', () => {
    press(chars('4006381333931'), 8)
    now += 300
    expect(detector.handle({ key: 'Enter', timeStamp: now })).toBe('ignored')
    expect(scans).toEqual([])
  })

  it('drops a burst broken by another named key (Backspace, an arrow)', () => {
    press([...chars('400638'), 'Backspace', ...chars('1333931'), 'Enter'], 8)
    expect(scans).toEqual(['1333931'])
  })

  it('starts afresh when a burst stalls in the middle', () => {
    press(chars('999999'), 8)
    now += 500
    press([...chars('96385074'), 'Enter'], 8)
    expect(scans).toEqual(['96385074'])
  })

  it('forgets a half burst on reset', () => {
    press(chars('400638'), 8)
    detector.reset()
    press([...chars('1333931'), 'Enter'], 8)
    expect(scans).toEqual(['1333931'])
  })

  it('accepts keys up to the longest gap and no further', () => {
    make({ maxGapMs: 30 })
    press([...chars('12345678'), 'Enter'], 30)
    expect(scans).toEqual(['12345678'])
    press([...chars('12345678'), 'Enter'], 31)
    expect(scans).toEqual(['12345678'])
  })
})
