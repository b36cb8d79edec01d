import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * Builds the PWA once for the whole browser suite, unless `dist/` is already newer than
 * everything it is built from (src/, public/, index.html, vite.config.ts).
 */

const root = fileURLToPath(new URL('../../..', import.meta.url))
export const distDir = join(root, 'dist')

function newest(path: string): number {
  if (!existsSync(path)) return 0
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  let latest = stat.mtimeMs
  for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)))
  return latest
}

function builtAt(): number {
  const index = join(distDir, 'index.html')
  const sw = join(distDir, 'sw.js')
  if (!existsSync(index) || !existsSync(sw)) return 0
  return Math.min(statSync(index).mtimeMs, statSync(sw).mtimeMs)
}

export default function setup(): void {
  const sources = Math.max(...['src', 'public', 'index.html', 'vite.config.ts', 'package.json'].map((p) => newest(join(root, p))))
  if (builtAt() > sources) return
  const started = Date.now()
  // Vitest sets NODE_ENV=test, which would make Vite bundle Vue's development build (its
  // warnings and checks): the tablets under test, and the benchmarks reusing dist/, get production.
  execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } })
  console.log(`browser tests: built the PWA in ${((Date.now() - started) / 1000).toFixed(1)} s`)
}
