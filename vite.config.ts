import { fileURLToPath } from 'node:url'
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vite'
import { VitePWA } from 'vite-plugin-pwa'

const stationPort = process.env.PORT ?? '8080'

export default defineConfig({
  plugins: [
    vue(),
    VitePWA({
      // A packer mid-order must never be reloaded by an update: the app asks, at a safe moment.
      registerType: 'prompt',
      injectRegister: false,
      includeAssets: ['favicon.svg', 'icons/apple-touch-icon.png'],
      manifest: {
        name: 'Picking station',
        short_name: 'Picking',
        description: 'Pick, verify and pack marketplace orders, online or offline.',
        theme_color: '#0b5cad',
        background_color: '#f3f5f8',
        display: 'standalone',
        orientation: 'any',
        start_url: '/',
        scope: '/',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        // Without it the first visit is not controlled, and its photos would not be cached.
        clientsClaim: true,
        globPatterns: ['**/*.{js,css,html,svg,png,webmanifest}'],
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [
          // The station API: JSON for the app, never the app shell.
          /^\/api\//,
          // The demo marketplace simulators and their control APIs (and Allegro's device page).
          /^\/mall\//,
          /^\/allegro\//,
          // Product photos are images, cached by their own route below.
          /^\/media\//,
          // The station's setup page (trusting its certificate), served by the station itself.
          /^\/setup(\/|$)/,
        ],
        runtimeCaching: [
          {
            // Matched by path: photos are fetched by warm-up code too, not only by <img>.
            urlPattern: ({ url }) => url.pathname.startsWith('/media/products/'),
            handler: 'CacheFirst',
            options: {
              cacheName: 'product-photos-v1',
              expiration: { maxEntries: 5000, maxAgeSeconds: 60 * 60 * 24 * 30, purgeOnQuotaError: true },
              cacheableResponse: { statuses: [200] },
            },
          },
        ],
      },
    }),
  ],
  define: {
    // vue-i18n in composition mode with `t` only: its legacy API, its components (<i18n-t>…) and
    // devtools hooks are left out of the build.
    __VUE_I18N_LEGACY_API__: 'false',
    __VUE_I18N_FULL_INSTALL__: 'false',
    __INTLIFY_PROD_DEVTOOLS__: 'false',
  },
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  server: {
    // `npm run dev` serves the PWA with hot reload and sends API, photo and marketplace calls to
    // a station started with `npm start` (or `tsx server/main.ts`).
    proxy: {
      '/api': `http://127.0.0.1:${stationPort}`,
      '/mall': `http://127.0.0.1:${stationPort}`,
      '/allegro': `http://127.0.0.1:${stationPort}`,
      '/media': `http://127.0.0.1:${stationPort}`,
      '/setup': `http://127.0.0.1:${stationPort}`,
    },
  },
  build: {
    target: 'es2022',
  },
})
