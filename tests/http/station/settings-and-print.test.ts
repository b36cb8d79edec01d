import { readdirSync, readFileSync } from 'node:fs'
import { createServer, type Server, type Socket } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_CARRIERS } from '#core/carriers.ts'
import { DEMO_SELLER } from '#core/seller.ts'
import { eventually, startStation, type RunningStation } from '../../support/station.ts'
import { expectProblem, newOrder, stationOrder, stationReady } from './helpers.ts'

/** A label printer's raw port on loopback: every connection is one job, kept as the bytes it got. */
async function fakePrinter(options: { stalled?: boolean } = {}) {
  const jobs: Buffer[] = []
  const sockets = new Set<Socket>()
  const server: Server = createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => {})
    // A printer whose buffer is full takes nothing more.
    if (options.stalled) return socket.pause()
    const chunks: Buffer[] = []
    socket.on('data', (chunk: Buffer) => chunks.push(chunk))
    socket.on('end', () => jobs.push(Buffer.concat(chunks)))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return {
    address: `127.0.0.1:${port}`,
    jobs,
    close: () => {
      for (const socket of sockets) socket.destroy()
      return new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** A loopback port nobody listens on. */
async function deadPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

const carriers = [
  { id: 'ppl', name: 'PPL', tracking_url_template: 'https://www.ppl.cz/vyhledat-zasilku?shipmentId={tracking_number}' },
  { id: 'own-van', name: 'Our own van', tracking_url_template: 'https://warehouse.example/parcels/{tracking_number}' },
]

describe('the station’s settings', () => {
  let first: RunningStation
  let running: RunningStation
  let picker: string
  let lead: string
  beforeAll(async () => {
    first = await startStation()
    running = first
    picker = await running.signIn('picker')
    lead = await running.signIn('lead')
  })
  afterAll(async () => {
    await running?.close()
    await first?.close()
  })

  it('are the demo seller, the common carriers and the demo printer until a lead changes them', async () => {
    const result = await running.api('GET', '/api/settings', { token: picker })
    expect(result.status).toBe(200)
    expect(result.body.seller).toEqual(DEMO_SELLER)
    expect(result.body.carriers).toEqual(DEFAULT_CARRIERS)
    expect(result.body.printers).toEqual([{ id: 'demo', name: 'Demo label printer (saves to data/printed)', address: expect.stringMatching(/^127\.0\.0\.1:\d+$/), dpi: 203 }])
    expectProblem(await running.api('GET', '/api/settings'), 401, 'UNAUTHENTICATED')
  })

  it('are changed by a team lead only, and the change survives a restart', async () => {
    const refused = expectProblem(await running.api('PUT', '/api/settings', { token: picker, body: { carriers } }), 403, 'FORBIDDEN')
    expect(refused.detail).toBe('Only a team lead can change the station’s settings.')

    const seller = { ...DEMO_SELLER, name: 'Sklad Brno s.r.o.', phone: null }
    const saved = await running.api('PUT', '/api/settings', { token: lead, body: { carriers, seller }, headers: { 'x-device-id': 'lead-tablet' } })
    expect(saved.status, saved.text).toBe(200)
    expect(saved.body).toMatchObject({ seller, carriers })
    expect((await running.api('GET', '/api/settings', { token: picker })).body.carriers).toEqual(carriers)

    running = await running.restart()
    await eventually(async () => (await running.api('GET', '/api/health')).status === 200, 5000)
    const after = await running.api('GET', '/api/settings', { token: picker })
    expect(after.body).toMatchObject({ seller, carriers })
    // The demo printer is the station's own, on a new port each start: listed, never saved.
    expect(after.body.printers.map((p: { id: string }) => p.id)).toEqual(['demo'])
  })

  it('refuses a tracking link without the number’s place, naming the carrier and what is wrong', async () => {
    const before = (await running.api('GET', '/api/settings', { token: lead })).body
    const bad = [...carriers, { id: 'dhl', name: 'DHL Express', tracking_url_template: 'https://www.dhl.com/track' }]
    const problem = expectProblem(await running.api('PUT', '/api/settings', { token: lead, body: { carriers: bad } }), 422, 'VALIDATION_FAILED')
    expect(problem.detail).toContain('DHL Express')
    expect(problem.detail).toContain('The tracking link must contain {tracking_number} exactly once, where the number goes.')
    expect((await running.api('GET', '/api/settings', { token: lead })).body).toEqual(before)
  })

  it('keep the warehouse’s time zone: Europe/Prague until a lead saves another one Intl knows', async () => {
    expect((await running.api('GET', '/api/settings', { token: picker })).body.time_zone).toBe('Europe/Prague')
    expectProblem(await running.api('PUT', '/api/settings', { token: picker, body: { time_zone: 'Europe/Bratislava' } }), 403, 'FORBIDDEN')

    const saved = await running.api('PUT', '/api/settings', { token: lead, body: { time_zone: 'Europe/Bratislava' } })
    expect(saved.status, saved.text).toBe(200)
    expect(saved.body.time_zone).toBe('Europe/Bratislava')
    // The other settings stay as they were.
    expect(saved.body.carriers).toEqual(carriers)
    expect((await running.api('GET', '/api/settings', { token: picker })).body.time_zone).toBe('Europe/Bratislava')

    for (const wrong of ['Europe/Praha', 'CET-1CEST', '', 120]) {
      const problem = expectProblem(await running.api('PUT', '/api/settings', { token: lead, body: { time_zone: wrong } }), 422, 'VALIDATION_FAILED')
      expect(problem.detail).toMatch(/^The settings were not saved\. .*The time zone is an IANA zone name such as "Europe\/Prague"/)
    }
    const refused = expectProblem(await running.api('PUT', '/api/settings', { token: lead, body: { time_zone: 'Europe/Praha' } }), 422, 'VALIDATION_FAILED')
    expect(refused.detail).toBe('The settings were not saved. “Europe/Praha” is not a time zone this station knows. The time zone is an IANA zone name such as "Europe/Prague" or "Europe/Bratislava".')
    expect((await running.api('GET', '/api/settings', { token: lead })).body.time_zone).toBe('Europe/Bratislava')

    // Written as the platform spells it.
    const utc = await running.api('PUT', '/api/settings', { token: lead, body: { time_zone: 'utc' } })
    expect(utc.body.time_zone).toBe('UTC')
    await running.api('PUT', '/api/settings', { token: lead, body: { time_zone: 'Europe/Prague' } })
  })

  it('print the papers in each customer’s language until a lead chooses one for the warehouse', async () => {
    expect((await running.api('GET', '/api/settings', { token: picker })).body.paper_language).toBeNull()
    expectProblem(await running.api('PUT', '/api/settings', { token: picker, body: { paper_language: 'sk' } }), 403, 'FORBIDDEN')
    const saved = await running.api('PUT', '/api/settings', { token: lead, body: { paper_language: 'sk' } })
    expect(saved.status, saved.text).toBe(200)
    expect((await running.api('GET', '/api/settings', { token: picker })).body.paper_language).toBe('sk')
    const refused = expectProblem(await running.api('PUT', '/api/settings', { token: lead, body: { paper_language: 'de' } }), 422, 'VALIDATION_FAILED')
    expect(refused.detail).toMatch(/paper_language is the language every paper is printed in \(en, cs, sk, pl, hu, sl, hr\), or null/)
    await running.api('PUT', '/api/settings', { token: lead, body: { paper_language: null } })
    expect((await running.api('GET', '/api/settings', { token: picker })).body.paper_language).toBeNull()
  })

  it.each([
    [{ carriers: [] }, /at least one carrier/],
    [{ carriers: [carriers[0], carriers[0]] }, /“ppl” is used twice/],
    [{ carriers: [{ ...carriers[0], id: 'PPL CZ' }] }, /id is 1 to 40 small letters/],
    [{ printers: [{ id: 'desk', name: 'Desk', address: '192.168.1.50', dpi: 203 }] }, /address is host:port/],
    [{ printers: [{ id: 'desk', name: 'Desk', address: '192.168.1.50:9100', dpi: 600 }] }, /dpi is 203 or 300/],
    [{ colour: 'blue' }, /seller, carriers, printers, time_zone and paper_language/],
    [{ seller: { ...DEMO_SELLER, name: '' } }, /seller’s name must not be empty/],
  ])('refuses settings it cannot use (%#), saying what to send', async (body, sentence) => {
    const problem = expectProblem(await running.api('PUT', '/api/settings', { token: lead, body }), 422, 'VALIDATION_FAILED')
    expect(problem.detail).toMatch(sentence)
  })

  it('prints to the demo printer, which saves the job in the data folder', async () => {
    const zpl = '^XA^CI28^FO40,40^A0N,40,40^FDDemo – Žluťoučký kůň^FS^XZ'
    const printed = await running.api('POST', '/api/print', { token: picker, body: { printer_id: 'demo', zpl } })
    expect(printed.status, printed.text).toBe(200)
    expect(printed.body).toEqual({ printed: true, printer_id: 'demo', bytes: Buffer.byteLength(zpl) })
    const folder = join(running.dataDir, 'printed')
    const files = await eventually(() => {
      const names = readdirSync(folder).filter((name) => name.endsWith('.zpl'))
      return names.length > 0 ? names : null
    }, 5000)
    expect(readFileSync(join(folder, files[0] as string), 'utf8')).toBe(zpl)
  })

  it('takes the printers PRINTERS names at start instead of those saved', async () => {
    const printers = [{ id: 'saved', name: 'Saved desk', address: '10.0.0.9:9100', dpi: 300 }]
    expect((await running.api('PUT', '/api/settings', { token: lead, body: { printers } })).body.printers).toEqual([...printers, expect.objectContaining({ id: 'demo' })])
    await running.stop()
    running = await startStation({ dataDir: running.dataDir, env: { PRINTERS: 'Packing desk=192.168.1.50@300' } })
    const token = await running.signIn('picker')
    const settings = (await running.api('GET', '/api/settings', { token })).body
    expect(settings.printers).toEqual([{ id: 'packing-desk', name: 'Packing desk', address: '192.168.1.50:9100', dpi: 300 }])
    expect(settings.carriers).toEqual(carriers)
  })
})

describe('printing to a label printer', () => {
  let running: RunningStation
  let printer: Awaited<ReturnType<typeof fakePrinter>>
  let stalled: Awaited<ReturnType<typeof fakePrinter>>
  let dead: number
  let token: string
  beforeAll(async () => {
    printer = await fakePrinter()
    stalled = await fakePrinter({ stalled: true })
    dead = await deadPort()
    running = await startStation({
      printTimeoutMs: 1000,
      env: { PRINTERS: `Packing desk=${printer.address}@203,Switched off=127.0.0.1:${dead},Jammed=${stalled.address}@300` },
    })
    token = await running.signIn('picker', '1111', 'tablet-7')
    await stationReady(running)
  })
  afterAll(async () => {
    await running?.close()
    await printer?.close()
    await stalled?.close()
  })

  it('sends the ZPL byte for byte, as many copies as asked, and notes it in the order’s history', async () => {
    const order = await newOrder(running, token)
    const zpl = `^XA^CI28^FO50,50^A0N,40,40^FDObjednávka ${order.id} – Žluťoučký kůň, 東京^FS^BY3^FO50,120^BCN,100,Y,N,N^FD>;${order.id}^FS^XZ\n`
    const result = await running.api('POST', '/api/print', { token, body: { printer_id: 'packing-desk', zpl, order_id: order.id, copies: 3 }, headers: { 'x-device-id': 'tablet-7' } })
    expect(result.status, result.text).toBe(200)
    const one = Buffer.from(zpl, 'utf8')
    expect(result.body).toEqual({ printed: true, printer_id: 'packing-desk', bytes: one.length * 3 })
    const job = await eventually(() => printer.jobs[0], 5000)
    expect(job.equals(Buffer.concat([one, one, one]))).toBe(true)

    const { history } = await stationOrder(running, token, order.id)
    expect(history.at(-1)).toMatchObject({
      action: 'print',
      user: 'picker',
      device_id: 'tablet-7',
      details: { printer_id: 'packing-desk', bytes: one.length * 3 },
      marketplace_state: 'not_needed',
    })
  })

  it('says so when the printer is not set up', async () => {
    const problem = expectProblem(await running.api('POST', '/api/print', { token, body: { printer_id: 'garage', zpl: '^XA^XZ' } }), 404, 'PRINTER_NOT_FOUND')
    expect(problem.detail).toBe("No printer 'garage' is set up on the station: pick one from the list, or ask the team lead to add it.")
  })

  it('says so at once when nothing answers at the printer’s address', async () => {
    const started = Date.now()
    const problem = expectProblem(await running.api('POST', '/api/print', { token, body: { printer_id: 'switched-off', zpl: '^XA^XZ' } }), 502, 'PRINTER_UNREACHABLE')
    expect(Date.now() - started).toBeLessThan(900)
    expect(problem.detail).toContain(`“Switched off” at 127.0.0.1:${dead}`)
    expect(problem.detail).toContain('check it is switched on and on the network, then print again')
  })

  it('gives up on a printer that stops taking the job, within the time allowed', async () => {
    const zpl = `^XA${'^FO10,10^FDfill^FS'.repeat(100_000)}^XZ`
    const started = Date.now()
    const problem = expectProblem(await running.api('POST', '/api/print', { token, body: { printer_id: 'jammed', zpl, copies: 20 } }), 502, 'PRINTER_UNREACHABLE')
    expect(Date.now() - started).toBeLessThan(5000)
    expect(problem.detail).toContain('“Jammed”')
  })

  it.each([
    [{ printer_id: 'packing-desk', zpl: 'hello printer' }, /zpl must hold at least one label starting with \^XA/],
    [{ printer_id: 'packing-desk', zpl: '^XA^XZ', copies: 21 }, /copies as a whole number from 1 to 20/],
    [{ zpl: '^XA^XZ' }, /printer_id is one of the printers/],
    [{ printer_id: 'packing-desk', zpl: `^XA${'x'.repeat(2 * 1024 * 1024)}` }, /larger than 2 MB/],
    [{ printer_id: 'packing-desk', zpl: '^XA^XZ', order_id: 'A-1' }, /order_id as the number of the order/],
  ])('refuses a job it cannot print (%#), saying what to send', async (body, sentence) => {
    const before = printer.jobs.length
    const problem = expectProblem(await running.api('POST', '/api/print', { token, body }), 422, 'VALIDATION_FAILED')
    expect(problem.detail).toMatch(sentence)
    expect(printer.jobs.length).toBe(before)
  })

  it('takes a 2 MB label, and answers a larger body with 413', async () => {
    const zpl = `^XA^FD${'x'.repeat(2 * 1024 * 1024 - 12)}^FS^XZ`
    const result = await running.api('POST', '/api/print', { token, body: { printer_id: 'packing-desk', zpl } })
    expect(result.status, result.text.slice(0, 300)).toBe(200)
    expect(result.body.bytes).toBe(2 * 1024 * 1024)
    const huge = await running.api('POST', '/api/print', { token, rawBody: JSON.stringify({ printer_id: 'packing-desk', zpl: `^XA${'x'.repeat(5 * 1024 * 1024)}` }) })
    expect(expectProblem(huge, 413, 'PAYLOAD_TOO_LARGE').detail).toMatch(/at most 2 MB of ZPL/)
  })
})
