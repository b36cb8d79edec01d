import { fileURLToPath } from 'node:url'
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vite'

const stationPort = process.env.PORT ?? '8080'

export default defineConfig({
  plugins: [vue()],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  server: {
    // `npm run dev` serves the PWA with hot reload and sends API and marketplace calls to a
    // station started with `npm start` (or `tsx server/main.ts`).
    proxy: {
      '/api': `http://127.0.0.1:${stationPort}`,
      '/mall': `http://127.0.0.1:${stationPort}`,
      '/media': `http://127.0.0.1:${stationPort}`,
    },
  },
  build: {
    target: 'es2022',
  },
})
