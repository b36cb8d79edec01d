import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startStation, type RunningStation } from '../../support/station.ts'

/** The station serves the built PWA so a tablet always gets the newest shell and caches the rest for good. */
describe('serving the app', () => {
  let running: RunningStation
  let dist: string
  const lines: string[] = []

  beforeAll(async () => {
    dist = mkdtempSync(join(tmpdir(), 'dist-'))
    mkdirSync(join(dist, 'assets'))
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Picking station</title><div id="app"></div>')
    writeFileSync(join(dist, 'sw.js'), 'self.addEventListener("install", () => {})')
    writeFileSync(join(dist, 'manifest.webmanifest'), JSON.stringify({ name: 'Picking station' }))
    writeFileSync(join(dist, 'assets', 'index-a1b2c3d4.js'), 'console.log(1)')
    running = await startStation({ distDir: dist, logLine: (line) => lines.push(line) })
  })
  afterAll(async () => {
    await running?.close()
    rmSync(dist, { recursive: true, force: true })
  })

  it('never lets the shell, the service worker or the manifest go stale', async () => {
    for (const path of ['/', '/index.html', '/sw.js', '/manifest.webmanifest']) {
      const response = await fetch(running.origin + path)
      expect(response.status, path).toBe(200)
      expect(response.headers.get('cache-control'), path).toBe('no-cache')
    }
  })

  it('lets hashed assets be cached for good', async () => {
    const response = await fetch(`${running.origin}/assets/index-a1b2c3d4.js`)
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
  })

  it('opens the app on a deep link, but answers unknown API calls and files with a clear 404', async () => {
    const deep = await fetch(`${running.origin}/orders/10085339302`)
    expect(deep.status).toBe(200)
    expect(await deep.text()).toContain('Picking station')
    const token = await running.signIn()
    const api = await fetch(`${running.origin}/api/nothing-here`, { headers: { authorization: `Bearer ${token}` } })
    expect(api.status).toBe(404)
    expect(api.headers.get('content-type')).toMatch(/^application\/problem\+json/)
    expect((await fetch(`${running.origin}/missing.png`)).status).toBe(404)
  })

  it('logs one line per request, without the marketplace key', async () => {
    const before = lines.length
    await fetch(`${running.origin}/api/health?probe=1`)
    await fetch(`${running.origin}/mall/v1/orders?client_id=demo&page_size=1&probe=2`)
    // The station's own polls of the demo marketplace share the port and the log: pick ours out.
    const health = lines.slice(before).filter((line) => line.includes('probe=1'))
    const mall = lines.slice(before).filter((line) => line.includes('probe=2'))
    expect(health).toHaveLength(1)
    expect(health[0]).toMatch(/ GET \/api\/health\?probe=1 200 \d+\.\dms$/)
    expect(mall).toHaveLength(1)
    expect(mall[0]).toContain('client_id=…')
    expect(lines.some((line) => line.includes('client_id=demo'))).toBe(false)
  })
})
