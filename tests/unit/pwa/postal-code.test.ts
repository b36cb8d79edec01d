import { describe, expect, it } from 'vitest'
import { misfitPostalCode } from '../../../src/services/orders/postal-code.ts'

/** MALL's "Invalid ZIP code": a postal code that does not fit the delivery country is warned about. */
describe('a postal code against its country', () => {
  it('fits as each country writes it', () => {
    for (const [zip, country] of [['110 00', 'CZ'], ['11000', 'CZ'], ['811 01', 'SK'], ['00-950', 'PL'], ['1051', 'HU'], ['1000', 'SI'], ['10000', 'HR'], ['SW1A 1AA', 'GB']]) {
      expect(misfitPostalCode(zip as string, country as string), `${zip} ${country}`).toBeNull()
    }
  })

  it('names the code, the country and an example when it does not fit', () => {
    expect(misfitPostalCode('1100', 'CZ')).toEqual({ zip: '1100', country: 'CZ', example: '110 00' })
    expect(misfitPostalCode('10-00', 'hu')).toEqual({ zip: '10-00', country: 'HU', example: '1051' })
    expect(misfitPostalCode('811 01', 'HR')).not.toBeNull()
  })
})
