import type { StationPrinter } from '#core/station-api.ts'

/**
 * The label printers the station reaches on the warehouse network: each by `host:port`, the raw
 * print port (9100 on nearly every Zebra-compatible printer), and its resolution.
 */

export const DEFAULT_PRINTER_PORT = 9100
export const DEFAULT_PRINTER_DPI = 203
export const PRINTER_DPIS = [203, 300] as const

/** A printer id, as the tablets keep it in their preferences. */
export const PRINTER_ID = /^[a-z0-9-]{1,40}$/

/** A host name, an IPv4 address or a bracketed IPv6 address. */
const HOST = String.raw`(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)`

/** `host:port`, as a printer's address is kept. */
export const PRINTER_ADDRESS = new RegExp(`^${HOST}:(\\d{1,5})$`)

const ENTRY = new RegExp(`^(${HOST})(?::(\\d*))?(?:@(\\d*))?$`)

const EXAMPLE = 'write PRINTERS as Name=host:port@dpi, separated by commas, for example "Packing desk=192.168.1.50:9100@203,Returns desk=10.0.0.7@300" (the port is 9100 and the resolution 203 dpi when left out)'

/** The host and port of a printer's address, for `net.connect`. */
export function splitAddress(address: string): { host: string; port: number } {
  const colon = address.lastIndexOf(':')
  return { host: address.slice(0, colon).replace(/^\[(.*)\]$/, '$1'), port: Number(address.slice(colon + 1)) }
}

export function validPort(port: number): boolean {
  return Number.isInteger(port) && port >= 1 && port <= 65_535
}

/** A printer's id made from its name: "Balicí stůl 2" is `balici-stul-2`. */
export function printerId(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 40)
    .replace(/^-+|-+$/g, '')
}

/**
 * The printers the `PRINTERS` variable names, e.g. `Packing desk=192.168.1.50:9100@203,Returns
 * desk=10.0.0.7@300`. Throws an Error whose message says what is wrong and what to write.
 */
export function parsePrinters(value: string): StationPrinter[] {
  const printers: StationPrinter[] = []
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
  if (entries.length === 0) throw new Error(`names no printer: ${EXAMPLE}.`)
  for (const entry of entries) {
    const equals = entry.indexOf('=')
    if (equals < 0) throw new Error(`“${entry}” has no address: ${EXAMPLE}.`)
    const name = entry.slice(0, equals).trim()
    const target = entry.slice(equals + 1).trim()
    if (name === '') throw new Error(`“${entry}” has no name before the =: ${EXAMPLE}.`)
    if (name.length > 60) throw new Error(`the name “${name}” is longer than 60 characters: give the printer a shorter name.`)
    const id = printerId(name)
    if (id === '') throw new Error(`the name “${name}” has no letters or digits: give the printer a name people recognise, e.g. "Packing desk".`)
    const match = ENTRY.exec(target)
    if (!match) throw new Error(`“${target}” is not a printer address (“${name}”): ${EXAMPLE}.`)
    const [, host, portText, dpiText] = match
    const port = portText === undefined ? DEFAULT_PRINTER_PORT : Number(portText)
    if (portText === '' || !validPort(port)) throw new Error(`the port of “${name}” must be a number from 1 to 65535 (the raw print port, usually 9100): ${EXAMPLE}.`)
    const dpi = dpiText === undefined ? DEFAULT_PRINTER_DPI : Number(dpiText)
    if (dpi !== 203 && dpi !== 300) throw new Error(`the resolution of “${name}” must be @203 or @300 (dpi, as on the printer's label): ${EXAMPLE}.`)
    if (printers.some((p) => p.id === id)) throw new Error(`two printers are called “${name}” (or names that differ only in punctuation): give each printer its own name.`)
    printers.push({ id, name, address: `${host}:${port}`, dpi })
  }
  return printers
}
