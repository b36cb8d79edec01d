import { fileURLToPath } from 'node:url'
import vue from '@vitejs/plugin-vue'
import { configDefaults, defineConfig } from 'vitest/config'

export default defineConfig({
  // Component tests (tests/component, jsdom) mount .vue files.
  plugins: [vue()],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  test: {
    include: ['tests/**/*.test.ts'],
    // The browser suite has its own config (vitest.browser.config.ts): `npm run test:browser`.
    exclude: [...configDefaults.exclude, 'tests/browser/**'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Two cores here: HTTP tests start real servers, so keep the fan-out modest.
    maxWorkers: 2,
  },
})
