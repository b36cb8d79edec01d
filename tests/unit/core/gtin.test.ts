import { describe, expect, it } from 'vitest'
import { ean13, gtinCheckDigit, isValidGtin } from '#core/gtin.ts'

describe('isValidGtin', () => {
  it.each([
    ['EAN-13', '4006381333931'],
    ['EAN-13', '5901234123457'],
    ['EAN-13 (Czech prefix)', '8594001021499'],
    ['EAN-13', '4000000000006'],
    ['EAN-13 with check digit 0', '0000000000000'],
    ['EAN-8', '96385074'],
    ['EAN-8', '73513537'],
    ['UPC-A', '036000291452'],
    ['GTIN-14', '00012345600012'],
    ['GTIN-14', '10012345678902'],
  ])('accepts the %s %s', (_kind, code) => {
    expect(isValidGtin(code)).toBe(true)
  })

  it.each([
    '4006381333932',
    '4006381333930',
    '5901234123458',
    '96385075',
    '96385070',
    '036000291453',
    '00012345600013',
    '4006381333913', // two digits swapped
  ])('refuses %s with a wrong check digit', (code) => {
    expect(isValidGtin(code)).toBe(false)
  })

  it.each([
    ['too short', '1234567'],
    ['nine digits', '123456789'],
    ['eleven digits', '03600029145'],
    ['fifteen digits', '400638133393100'],
    ['letters', '40063813339A1'],
    ['spaces', '4006381 333931'],
    ['a trailing newline', '4006381333931\n'],
    ['a sign', '+400638133393'],
    ['empty', ''],
  ])('refuses %s', (_label, code) => {
    expect(isValidGtin(code)).toBe(false)
  })
})

describe('gtinCheckDigit', () => {
  it.each([
    ['400638133393', 1],
    ['590123412345', 7],
    ['9638507', 4],
    ['03600029145', 2],
    ['1001234567890', 2],
    ['400000000000', 6],
    ['000000000000', 0],
  ])('of %s is %i', (body, digit) => {
    expect(gtinCheckDigit(body)).toBe(digit)
  })
})

describe('ean13', () => {
  it('appends the check digit', () => {
    expect(ean13('400638133393')).toBe('4006381333931')
    expect(ean13('590123412345')).toBe('5901234123457')
    expect(ean13('859400102149')).toBe('8594001021499')
  })

  it('produces codes isValidGtin accepts', () => {
    for (const body of ['000000000000', '123456789012', '999999999999', '200000012345']) {
      const code = ean13(body)
      expect(code).toHaveLength(13)
      expect(code.startsWith(body)).toBe(true)
      expect(isValidGtin(code)).toBe(true)
    }
  })

  it.each(['40063813339', '4006381333931', '40063813339a', '', ' 400638133393'])('refuses the body %j', (body) => {
    expect(() => ean13(body)).toThrow(/twelve digits/)
  })
})
