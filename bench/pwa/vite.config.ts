import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

/** Builds the benchmark page (bench/pwa/index.html) against the app's own sources. */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  resolve: { alias: { '@': fileURLToPath(new URL('../../src', import.meta.url)) } },
  build: { outDir: fileURLToPath(new URL('../../node_modules/.bench-pwa', import.meta.url)), emptyOutDir: true, target: 'es2022' },
  logLevel: 'warn',
})
