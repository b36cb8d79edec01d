import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../../server/config.ts'
import { parsePrinters, printerId } from '../../../server/printing/printers.ts'

/** `PRINTERS`, as the person setting up the station writes it. */
describe('the PRINTERS setting', () => {
  it('reads names, addresses, ports and resolutions, with port 9100 and 203 dpi when left out', () => {
    expect(parsePrinters('Packing desk=192.168.1.50:9100@203,Returns desk=10.0.0.7@300')).toEqual([
      { id: 'packing-desk', name: 'Packing desk', address: '192.168.1.50:9100', dpi: 203 },
      { id: 'returns-desk', name: 'Returns desk', address: '10.0.0.7:9100', dpi: 300 },
    ])
    expect(parsePrinters(' Zebra = zebra-1.warehouse.lan:6101 , ')).toEqual([{ id: 'zebra', name: 'Zebra', address: 'zebra-1.warehouse.lan:6101', dpi: 203 }])
    expect(parsePrinters('Balicí stůl 2=[fe80::1]')).toEqual([{ id: 'balici-stul-2', name: 'Balicí stůl 2', address: '[fe80::1]:9100', dpi: 203 }])
  })

  it('makes ids from names as the tablets keep them', () => {
    expect(printerId('Packing desk #1 (left)')).toBe('packing-desk-1-left')
    expect(printerId('Česká pošta – výdej')).toBe('ceska-posta-vydej')
    expect(printerId('x'.repeat(80))).toHaveLength(40)
  })

  it.each([
    ['Packing desk', /has no address/],
    ['=192.168.1.50', /has no name/],
    ['Packing desk=192.168.1.50:99999', /port of “Packing desk” must be a number from 1 to 65535/],
    ['Packing desk=192.168.1.50:', /port of “Packing desk”/],
    ['Packing desk=192.168.1.50@600', /resolution of “Packing desk” must be @203 or @300/],
    ['Packing desk=http://192.168.1.50', /is not a printer address/],
    ['Packing desk=192.168.1.50 9100', /is not a printer address/],
    ['Desk=10.0.0.1,desk=10.0.0.2', /two printers are called “desk”/],
    ['***=10.0.0.1', /has no letters or digits/],
    [',', /names no printer/],
  ])('refuses %j, saying what to write', (value, reason) => {
    expect(() => parsePrinters(value)).toThrow(reason)
  })

  it('stops the start with a sentence naming the variable and the syntax', () => {
    const start = () => loadConfig({ PRINTERS: 'Packing desk=192.168.1.50:9100@150' })
    expect(start).toThrow(ConfigError)
    expect(start).toThrow(/PRINTERS: the resolution of “Packing desk” must be @203 or @300/)
    expect(start).toThrow(/write PRINTERS as Name=host:port@dpi, separated by commas/)
  })

  it('is no printers of its own when unset or empty', () => {
    expect(loadConfig({}).printers).toBeNull()
    expect(loadConfig({ PRINTERS: '' }).printers).toBeNull()
    expect(loadConfig({ PRINTERS: 'Desk=127.0.0.1:9101' }).printers).toEqual([{ id: 'desk', name: 'Desk', address: '127.0.0.1:9101', dpi: 203 }])
  })
})
