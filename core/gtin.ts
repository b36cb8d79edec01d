/** GTIN (EAN-13, EAN-8, UPC-A) check digits: mod 10 with weights 3 and 1 from the right. */
export function gtinCheckDigit(body: string): number {
  let sum = 0
  for (let i = 0; i < body.length; i++) {
    const digit = body.charCodeAt(body.length - 1 - i) - 48
    sum += digit * (i % 2 === 0 ? 3 : 1)
  }
  return (10 - (sum % 10)) % 10
}

/** Whether the code is a GTIN-8, -12, -13 or -14 with a correct check digit. */
export function isValidGtin(code: string): boolean {
  if (!/^(\d{8}|\d{12,14})$/.test(code)) return false
  return gtinCheckDigit(code.slice(0, -1)) === Number(code.at(-1))
}

/** An EAN-13 from its first twelve digits. */
export function ean13(first12: string): string {
  if (!/^\d{12}$/.test(first12)) throw new Error(`An EAN-13 body is twelve digits, not "${first12}"`)
  return first12 + String(gtinCheckDigit(first12))
}
