import { describe, expect, it } from 'vitest'
import { postalCodeWarning } from '../../../src/services/orders/postal-code.ts'

/** MALL's "Invalid ZIP code": a postal code that does not fit the delivery country is warned about. */
describe('a postal code against its country', () => {
  it('fits as each country writes it', () => {
    for (const [zip, country] of [['110 00', 'CZ'], ['11000', 'CZ'], ['811 01', 'SK'], ['00-950', 'PL'], ['1051', 'HU'], ['1000', 'SI'], ['10000', 'HR'], ['SW1A 1AA', 'GB']]) {
      expect(postalCodeWarning(zip as string, country as string), `${zip} ${country}`).toBeNull()
    }
  })

  it('warns, naming the code, the country and an example, when it does not', () => {
    expect(postalCodeWarning('1100', 'CZ')).toBe('Invalid ZIP code: “1100” is not a postal code of CZ (like 110 00). Check the address with the customer before shipping.')
    expect(postalCodeWarning('10-00', 'HU')).toMatch(/^Invalid ZIP code: “10-00” is not a postal code of HU/)
    expect(postalCodeWarning('811 01', 'HR')).not.toBeNull()
  })
})
