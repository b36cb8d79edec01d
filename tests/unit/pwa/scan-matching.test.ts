import { beforeAll, describe, expect, it } from 'vitest'
import type { OrderStatus } from '#core/order.ts'
import { showLanguage, t } from '../../../src/i18n/index.ts'
import { say } from '../../../src/i18n/phrase.ts'
import { indexBarcodes, matchScan as matchScanPhrase, normalizeCode, type PickLine } from '../../../src/services/scan/matching.ts'

// The outcome as an English screen says it (its phrase in the English catalogue).
beforeAll(() => showLanguage('en'))
function matchScan(...args: Parameters<typeof matchScanPhrase>) {
  const outcome = matchScanPhrase(...args)
  return { ...outcome, message: say(t, outcome.message) }
}

/** What a scanned code means for the order being packed, and the sentence the packer reads. */

// Real, check-digit-valid codes.
const KETTLE_EAN13 = '4006381333931'
const MUG_UPCA = '036000291452'
/** The mug's UPC-A as an EAN-13 reader reports it: with a leading zero. */
const MUG_AS_EAN13 = '0036000291452'
/** A carton of six mugs: GTIN-14 with indicator digit 1. */
const MUG_CASE_GTIN14 = '10036000291459'
const SPOON_EAN8 = '96385074'
const TOASTER_EAN13 = '5901234123457'
/** A valid EAN-13 that no product in this catalogue has. */
const STRANGER_EAN13 = '8594001021499'

const catalogue = [
  { sku: 'KETTLE-17', barcodes: [KETTLE_EAN13, 'KTL-17'], case_barcodes: [] },
  { sku: '100228', barcodes: [MUG_UPCA], case_barcodes: [{ code: MUG_CASE_GTIN14, units: 6 }] },
  { sku: 'SPOON-4', barcodes: [SPOON_EAN8], case_barcodes: [] },
  // In the catalogue, but on no order below.
  { sku: 'TOASTER-2', barcodes: [TOASTER_EAN13], case_barcodes: [] },
]
const index = indexBarcodes(catalogue)

function lines(kettle = 0, mugs = 0, spoons = 0): PickLine[] {
  return [
    { sku: 'KETTLE-17', title: 'Electric kettle 1.7 l', quantity: 1, picked: kettle },
    { sku: '100228', title: 'Ceramic mug 350 ml', quantity: 12, picked: mugs },
    { sku: 'SPOON-4', title: 'Tea spoon', quantity: 2, picked: spoons },
  ]
}

describe('normalizeCode', () => {
  it('reads a UPC-A and the same code read as EAN-13 with a leading zero as one code', () => {
    expect(normalizeCode(MUG_UPCA)).toBe('00036000291452')
    expect(normalizeCode(MUG_AS_EAN13)).toBe('00036000291452')
  })

  it('pads EAN-13, EAN-8 and GTIN-14 to 14 digits', () => {
    expect(normalizeCode(KETTLE_EAN13)).toBe('04006381333931')
    expect(normalizeCode(SPOON_EAN8)).toBe('00000096385074')
    expect(normalizeCode(MUG_CASE_GTIN14)).toBe(MUG_CASE_GTIN14)
  })

  it('keeps a case code (GTIN-14) apart from the unit code it is built on', () => {
    expect(normalizeCode(MUG_CASE_GTIN14)).not.toBe(normalizeCode(MUG_UPCA))
  })

  it.each([
    ['a CR/LF suffix', `${KETTLE_EAN13}\r\n`],
    ['a lone LF', `${KETTLE_EAN13}\n`],
    ['a Tab suffix', `${KETTLE_EAN13}\t`],
    ['a GS separator (GS1)', `\u001d${KETTLE_EAN13}`],
    ['spaces around it', `  ${KETTLE_EAN13} `],
  ])('drops %s a scanner adds', (_what, raw) => {
    expect(normalizeCode(raw)).toBe('04006381333931')
  })

  it('upper-cases and trims codes that are not GTINs (Code 128 text)', () => {
    expect(normalizeCode('ktl-17')).toBe('KTL-17')
    expect(normalizeCode(' box-a12\r\n')).toBe('BOX-A12')
    expect(normalizeCode('lot\u001d42')).toBe('LOT42')
  })

  it('leaves a number with a wrong check digit as it is: it is not a GTIN, so it is not padded', () => {
    expect(normalizeCode('4006381333932')).toBe('4006381333932')
    expect(normalizeCode('036000291453')).toBe('036000291453')
    // Nine to eleven digits are no GTIN length.
    expect(normalizeCode('123456789')).toBe('123456789')
  })
})

describe('indexBarcodes', () => {
  it('maps every unit code to one unit and every case code to its units, in normalized form', () => {
    expect(index.get('04006381333931')).toEqual({ sku: 'KETTLE-17', units: 1 })
    expect(index.get('KTL-17')).toEqual({ sku: 'KETTLE-17', units: 1 })
    expect(index.get('00036000291452')).toEqual({ sku: '100228', units: 1 })
    expect(index.get(MUG_CASE_GTIN14)).toEqual({ sku: '100228', units: 6 })
    expect(index.get('00000096385074')).toEqual({ sku: 'SPOON-4', units: 1 })
    expect(index.size).toBe(6)
  })
})

describe('matchScan', () => {
  it('counts a right scan and says how many of the line are scanned', () => {
    expect(matchScan(MUG_UPCA, lines(), index, 'open')).toEqual({
      kind: 'match',
      sku: '100228',
      units: 1,
      lineComplete: false,
      orderComplete: false,
      message: 'Ceramic mug 350 ml: 1 of 12.',
    })
  })

  it('matches a UPC-A product scanned as EAN-13, an EAN-8 and a Code 128 text in any case', () => {
    expect(matchScan(MUG_AS_EAN13, lines(), index, 'open')).toMatchObject({ kind: 'match', sku: '100228', units: 1 })
    expect(matchScan(`${SPOON_EAN8}\r\n`, lines(), index, 'open')).toMatchObject({ kind: 'match', sku: 'SPOON-4', message: 'Tea spoon: 1 of 2.' })
    expect(matchScan('ktl-17', lines(), index, 'open')).toMatchObject({ kind: 'match', sku: 'KETTLE-17' })
  })

  it('says when a line is complete, but not the order while other lines remain', () => {
    expect(matchScan(KETTLE_EAN13, lines(0, 0, 0), index, 'open')).toEqual({
      kind: 'match',
      sku: 'KETTLE-17',
      units: 1,
      lineComplete: true,
      orderComplete: false,
      message: 'Electric kettle 1.7 l: 1 of 1.',
    })
    expect(matchScan(SPOON_EAN8, lines(0, 0, 1), index, 'open')).toMatchObject({ lineComplete: true, orderComplete: false })
  })

  it('says the order is complete on its last unit', () => {
    expect(matchScan(SPOON_EAN8, lines(1, 12, 1), index, 'open')).toEqual({
      kind: 'match',
      sku: 'SPOON-4',
      units: 1,
      lineComplete: true,
      orderComplete: true,
      message: 'Tea spoon: 2 of 2.',
    })
  })

  it('counts a case barcode as all of its units', () => {
    expect(matchScan(MUG_CASE_GTIN14, lines(0, 3), index, 'open')).toEqual({
      kind: 'match',
      sku: '100228',
      units: 6,
      lineComplete: false,
      orderComplete: false,
      message: 'Ceramic mug 350 ml (case of 6): 9 of 12.',
    })
    // A case that fills the line exactly completes it.
    expect(matchScan(MUG_CASE_GTIN14, lines(1, 6, 2), index, 'open')).toMatchObject({ kind: 'match', units: 6, lineComplete: true, orderComplete: true })
  })

  it('refuses a case holding more than the line still needs', () => {
    expect(matchScan(MUG_CASE_GTIN14, lines(0, 8), index, 'open')).toEqual({
      kind: 'over_quantity',
      sku: '100228',
      message: 'Ceramic mug 350 ml (100228): a case of 6 is more than the 4 still needed; scan single units.',
    })
    // One unit too many is too many.
    expect(matchScan(MUG_CASE_GTIN14, lines(0, 7), index, 'open')).toMatchObject({
      kind: 'over_quantity',
      message: 'Ceramic mug 350 ml (100228): a case of 6 is more than the 5 still needed; scan single units.',
    })
  })

  it('refuses a unit more than the order asks for', () => {
    expect(matchScan(KETTLE_EAN13, lines(1), index, 'open')).toEqual({
      kind: 'over_quantity',
      sku: 'KETTLE-17',
      message: 'Electric kettle 1.7 l (KETTLE-17): all 1 already scanned; this one is extra.',
    })
    expect(matchScan(MUG_CASE_GTIN14, lines(0, 12), index, 'open')).toEqual({
      kind: 'over_quantity',
      sku: '100228',
      message: 'Ceramic mug 350 ml (100228): all 12 already scanned; this one is extra.',
    })
  })

  it('tells a product of the catalogue that is not on this order apart from an unknown code', () => {
    expect(matchScan(TOASTER_EAN13, lines(), index, 'open')).toEqual({
      kind: 'not_on_order',
      sku: 'TOASTER-2',
      message: 'Not on this order (TOASTER-2): put it back.',
    })
    // With the catalogue's title, the packer reads which product it is, the SKU beside it.
    const titled = indexBarcodes([{ sku: 'TOASTER-2', title: 'Toaster', barcodes: [TOASTER_EAN13], case_barcodes: [] }])
    expect(matchScan(TOASTER_EAN13, lines(), titled, 'open')).toMatchObject({ kind: 'not_on_order', message: 'Not on this order: Toaster (TOASTER-2). Put it back.' })
    expect(matchScan(`${STRANGER_EAN13}\r\n`, lines(), index, 'open')).toEqual({
      kind: 'unknown_code',
      code: `0${STRANGER_EAN13}`,
      message: `Unknown code ${STRANGER_EAN13}: scan the product’s own barcode, or type its code.`,
    })
  })

  it('calls a code with a wrong check digit unknown, not a near match', () => {
    expect(matchScan('4006381333932', lines(), index, 'open')).toMatchObject({ kind: 'unknown_code', code: '4006381333932' })
  })

  it('stops packing a cancelled order, whatever is scanned', () => {
    for (const code of [KETTLE_EAN13, TOASTER_EAN13, STRANGER_EAN13]) {
      expect(matchScan(code, lines(), index, 'cancelled')).toEqual({
        kind: 'not_packable',
        message: 'This order was cancelled: stop packing and put the items back.',
      })
    }
  })

  it.each<[OrderStatus, string]>([
    ['shipped', 'This order is shipped and can no longer be packed.'],
    ['delivered', 'This order is delivered and can no longer be packed.'],
    ['returned', 'This order is returned and can no longer be packed.'],
    ['lost', 'This order is lost and can no longer be packed.'],
    ['blocked', 'This order is still waiting for payment: do not pack it yet.'],
  ])('does not let a %s order be packed', (status, message) => {
    expect(matchScan(KETTLE_EAN13, lines(), index, status)).toEqual({ kind: 'not_packable', message })
  })

  it('packs orders that are open or already being packed (shipping)', () => {
    expect(matchScan(KETTLE_EAN13, lines(), index, 'shipping')).toMatchObject({ kind: 'match' })
  })

  it('never changes the lines it is given, right scan or wrong', () => {
    const given = lines(1, 8, 0)
    const before = structuredClone(given)
    for (const code of [KETTLE_EAN13, MUG_CASE_GTIN14, MUG_UPCA, TOASTER_EAN13, STRANGER_EAN13]) matchScan(code, given, index, 'open')
    expect(given).toEqual(before)
  })

  it('says every outcome in one sentence ending with a full stop', () => {
    const outcomes = [
      matchScan(MUG_UPCA, lines(), index, 'open'),
      matchScan(KETTLE_EAN13, lines(1), index, 'open'),
      matchScan(MUG_CASE_GTIN14, lines(0, 8), index, 'open'),
      matchScan(TOASTER_EAN13, lines(), index, 'open'),
      matchScan(STRANGER_EAN13, lines(), index, 'open'),
      matchScan(KETTLE_EAN13, lines(), index, 'cancelled'),
    ]
    for (const outcome of outcomes) {
      expect(outcome.message).toMatch(/^[^\n]{10,}\.$/)
      expect(outcome.message.slice(0, -1)).not.toMatch(/[.!?](\s|$)/)
    }
  })
})
