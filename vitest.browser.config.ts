import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

// The browser suite: the built PWA in the system Chromium against a real station and simulator.
// One file at a time: each drives a browser and a station, and this machine has two cores.
export default defineConfig({
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  test: {
    include: ['tests/browser/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['./tests/browser/support/global-setup.ts'],
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
  },
})
