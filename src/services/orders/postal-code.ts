/**
 * Whether a postal code fits its country, for MALL's "Invalid ZIP code" case: the marketplace
 * passes such an order on, and the carrier may not deliver it, so the order's page warns. The
 * shapes are those of the countries MALL sells in; another country's code is not judged.
 */

const SHAPES: Readonly<Record<string, RegExp>> = {
  CZ: /^\d{3} ?\d{2}$/,
  SK: /^\d{3} ?\d{2}$/,
  PL: /^\d{2}-?\d{3}$/,
  HU: /^\d{4}$/,
  SI: /^(SI-)?\d{4}$/i,
  HR: /^(HR-)?\d{5}$/i,
}

const EXAMPLES: Readonly<Record<string, string>> = { CZ: '110 00', SK: '811 01', PL: '00-950', HU: '1051', SI: '1000', HR: '10000' }

/** What the warning names, for a postal code that does not fit its country; null when it fits (or the country is not known here). */
export function misfitPostalCode(zip: string, country: string): { zip: string; country: string; example: string } | null {
  const code = country.trim().toUpperCase()
  const shape = SHAPES[code]
  if (!shape || shape.test(zip.trim())) return null
  return { zip, country: code, example: EXAMPLES[code] as string }
}
