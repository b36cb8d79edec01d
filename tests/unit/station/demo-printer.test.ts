import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { DemoPrinter } from '../../../server/printing/demo-printer.ts'

/**
 * The demo printer saves each job as a `.zpl` file in `data/printed`: whoever opens the folder
 * (a person, a ZPL viewer, a test) must never find half a label there.
 */
describe('the demo label printer', () => {
  let dir: string | null = null
  let printer: DemoPrinter | null = null
  afterEach(async () => {
    await printer?.close()
    if (dir) rmSync(dir, { recursive: true, force: true })
    dir = printer = null
  })

  it('shows a job in its folder only once the whole job is saved', async () => {
    dir = mkdtempSync(join(tmpdir(), 'demo-printer-'))
    printer = new DemoPrinter(dir, Date.now, () => {})
    const { address } = await printer.listen()
    // A large job (a label with embedded graphics), so saving it takes several writes.
    const job = `^XA${'^FO10,10^GFA,8000,8000,100,' + 'F0'.repeat(4000) + '^FS'.repeat(1)}`.repeat(400) + '^XZ'
    const [host, port] = address.split(':') as [string, string]
    const socket = connect(Number(port), host)
    socket.end(job)
    const seen: number[] = []
    const deadline = Date.now() + 10_000
    for (;;) {
      const names = readdirSync(dir).filter((name) => name.endsWith('.zpl'))
      if (names.length > 0) {
        for (let i = 0; i < 50; i++) seen.push(readFileSync(join(dir, names[0] as string)).length)
        break
      }
      if (Date.now() > deadline) throw new Error('the job was never saved')
      await new Promise((resolve) => setImmediate(resolve))
    }
    expect(new Set(seen)).toEqual(new Set([Buffer.byteLength(job)]))
  })
})
