import JsBarcode from 'jsbarcode'
import { BARS } from 'jsbarcode/bin/barcodes/CODE128/constants.js'

/**
 * Code 128 as a ZPL printer encodes `^BC` data: mode N follows Zebra's own start and switch codes,
 * which JsBarcode does not read (the symbols are still drawn from JsBarcode's table); automatic
 * mode is JsBarcode's own.
 */

/** A symbol's modules (1 bar, 0 space), from Code 128's table of symbols 0–106 as JsBarcode holds it. */
const bits = (value: number): string => String(BARS[value])

const START = { A: 103, B: 104, C: 105 } as const
const STOP = 106
type CodeSet = keyof typeof START

export interface Symbol128 {
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
export function code128FromZpl(data: string): Symbol128 | null {
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
export function code128Auto(data: string, gs1: boolean): Symbol128 | null {
  const target: { encodings?: { data: string }[] } = {}
  try {
    JsBarcode(target, data, { format: 'CODE128', ean128: gs1 })
  } catch {
    return null
  }
  const encoded = target.encodings?.map((encoding) => encoding.data).join('')
  return encoded ? { bits: encoded, text: data } : null
}
