import { createHash } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

/**
 * Product photos, served by the station so tablets load them from the LAN and their service
 * worker can cache them. Each is fetched once from the marketplace and kept on disk.
 */
export class PhotoCache {
  private readonly inflight = new Map<string, Promise<{ type: string; body: Buffer } | null>>()

  constructor(
    private readonly dir: string,
    private readonly timeoutMs = 10_000,
  ) {
    mkdirSync(dir, { recursive: true })
  }

  private paths(sourceUrl: string) {
    const name = createHash('sha256').update(sourceUrl).digest('hex')
    return { body: join(this.dir, `${name}.img`), type: join(this.dir, `${name}.type`) }
  }

  /** The photo, from disk or fetched now; null when the marketplace has none. Throws when it cannot be reached. */
  async get(sourceUrl: string): Promise<{ type: string; body: Buffer } | null> {
    const paths = this.paths(sourceUrl)
    try {
      const [body, type] = await Promise.all([readFile(paths.body), readFile(paths.type, 'utf8')])
      return { type, body }
    } catch {
      // not cached yet
    }
    let fetching = this.inflight.get(sourceUrl)
    if (!fetching) {
      fetching = this.fetchAndStore(sourceUrl, paths).finally(() => this.inflight.delete(sourceUrl))
      this.inflight.set(sourceUrl, fetching)
    }
    return fetching
  }

  private async fetchAndStore(sourceUrl: string, paths: { body: string; type: string }) {
    const response = await fetch(sourceUrl, { signal: AbortSignal.timeout(this.timeoutMs) })
    if (response.status === 404) return null
    if (!response.ok) throw new Error(`the marketplace answered ${response.status} for the photo`)
    const type = response.headers.get('content-type') ?? 'application/octet-stream'
    if (!/^image\//.test(type)) throw new Error(`the marketplace sent ${type}, not an image`)
    const body = Buffer.from(await response.arrayBuffer())
    // Written aside and renamed, so a half-written file is never served.
    await writeFile(`${paths.body}.tmp`, body)
    await writeFile(paths.type, type)
    await rename(`${paths.body}.tmp`, paths.body)
    return { type, body }
  }
}
