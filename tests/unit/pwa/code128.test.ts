import JsBarcode from 'jsbarcode'
import { describe, expect, it } from 'vitest'
import { code128Auto, code128FromZpl } from '@/services/print/code128'

/**
 * The ZPL preview draws `^BC` barcodes as the printer would. In mode N the printer reads Zebra's
 * start and switch codes (`>;` start in set C, `>5` switch to C…); the bars must be the ones a
 * Code 128 encoder gives for the same symbols: JsBarcode's fixed-set formats are the reference.
 */
function reference(data: string, format: 'CODE128B' | 'CODE128C'): string {
  const target: { encodings?: { data: string }[] } = {}
  JsBarcode(target, data, { format })
  return (target.encodings ?? []).map((encoding) => encoding.data).join('')
}

describe('Code 128 in the ZPL preview', () => {
  it('reads mode N data in set B by default, as a Code 128 B encoder draws it', () => {
    expect(code128FromZpl('ORDER-10085339302')).toEqual({ bits: reference('ORDER-10085339302', 'CODE128B'), text: 'ORDER-10085339302' })
  })

  it('starts in set C on >; and reads digit pairs, as a Code 128 C encoder draws them', () => {
    expect(code128FromZpl('>;10085339302')?.bits).toBe(reference('1008533930', 'CODE128C'))
    // The unpaired last digit is dropped, as the printer drops it.
    expect(code128FromZpl('>;10085339302')?.text).toBe('1008533930')
  })

  it('switches sets on Zebra’s codes and leaves them out of the interpretation line', () => {
    const symbol = code128FromZpl('>:AB>51234')
    expect(symbol?.text).toBe('AB1234')
    // Start B, A, B, switch to C (99), 12, 34, then the check symbol and stop: 7 symbols of 11 modules and the 13-module stop.
    expect(symbol?.bits.length).toBe(7 * 11 + 13)
    expect(symbol?.bits.startsWith(reference('AB', 'CODE128B').slice(0, 33))).toBe(true)
  })

  it('refuses data the printer cannot encode in set B', () => {
    expect(code128FromZpl('Žluťoučký')).toBeNull()
  })

  it('leaves automatic mode to JsBarcode, GS1-128 included', () => {
    expect(code128Auto('(01)12345678901231', true)?.bits).toMatch(/^[01]+$/)
    expect(code128Auto('ABC123', false)?.text).toBe('ABC123')
  })
})
