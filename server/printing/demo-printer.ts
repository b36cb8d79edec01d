import { mkdir, rename, writeFile } from 'node:fs/promises'
import { createServer, type Server, type Socket } from 'node:net'
import { join } from 'node:path'
import type { StationPrinter } from '#core/station-api.ts'

export const DEMO_PRINTER_ID = 'demo'

/**
 * The demo's label printer: a raw print port (like a Zebra's 9100) on loopback that saves every
 * job it receives as a `.zpl` file, so the demo prints without hardware and the jobs can be
 * opened in a ZPL viewer.
 */
export class DemoPrinter {
  /** The printer as the station's settings list it, once it listens. */
  printer: StationPrinter | null = null
  private server: Server | null = null
  private readonly sockets = new Set<Socket>()
  private readonly saving = new Set<Promise<void>>()
  private count = 0

  constructor(
    /** Where the jobs are saved (`<DATA_DIR>/printed`). */
    readonly folder: string,
    private readonly clock: () => number = Date.now,
    private readonly warn: (message: string) => void = console.warn,
  ) {}

  async listen(): Promise<StationPrinter> {
    await mkdir(this.folder, { recursive: true })
    const server = createServer((socket) => this.receive(socket))
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(0, '127.0.0.1', () => resolve())
    })
    this.server = server
    const { port } = server.address() as { port: number }
    this.printer = { id: DEMO_PRINTER_ID, name: 'Demo label printer (saves to data/printed)', address: `127.0.0.1:${port}`, dpi: 203 }
    return this.printer
  }

  private receive(socket: Socket): void {
    this.sockets.add(socket)
    const chunks: Buffer[] = []
    socket.on('data', (chunk: Buffer) => chunks.push(chunk))
    socket.on('error', () => {})
    socket.on('close', () => this.sockets.delete(socket))
    // A job is complete when the sender ends its side; a connection dropped halfway saves nothing.
    socket.on('end', () => {
      if (chunks.length === 0) return
      const stamp = new Date(this.clock()).toISOString().replace(/[:.]/g, '-')
      const file = join(this.folder, `${stamp}-${String(++this.count).padStart(4, '0')}.zpl`)
      // Written aside and renamed: a `.zpl` file in the folder is always a whole job.
      const saved = writeFile(`${file}.part`, Buffer.concat(chunks))
        .then(() => rename(`${file}.part`, file))
        .catch((error: unknown) => this.warn(`demo printer: could not save ${file}: ${(error as Error).message}`))
      this.saving.add(saved)
      void saved.finally(() => this.saving.delete(saved))
    })
  }

  /** Stops listening, drops jobs still arriving and waits for the received ones to be saved. */
  async close(): Promise<void> {
    const server = this.server
    this.server = null
    for (const socket of this.sockets) socket.destroy()
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()))
    await Promise.all(this.saving)
  }
}
