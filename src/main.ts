import { createPinia } from 'pinia'
import { createApp } from 'vue'
import { loadRouteLocation } from 'vue-router'
import App from './App.vue'
import { router } from './router'
import { i18n, preloadLastLanguage } from './i18n'
import { usePlatform } from './app/platform'
import { readDeskHeadEarly } from './services/desk/first-screen'
import { useLanguageStore } from './stores/language'
import { useSessionStore } from './stores/session'
import { useSyncStore } from './stores/sync'
import { showInsecureContext } from './insecure-context'
import './styles/base.css'

if (!window.isSecureContext) {
  // Plain HTTP on the network: no service worker, crypto.randomUUID or Web Locks. Nothing of the
  // app starts; the page says why and links the station's setup page instead of staying blank.
  void showInsecureContext(document.getElementById('app') ?? document.body)
} else {
  const app = createApp(App)
  app.use(createPinia())
  app.use(router)
  app.use(i18n)

  // The first screen's code (a page other than the queue, reloaded: the desk, the pack screen) is
  // fetched while the session and the language are read from the device, not after them.
  const first = router.resolve(`${location.pathname}${location.search}`)
  void loadRouteLocation(first).catch(() => undefined)
  // So are the words of the language last on screen, and the desk's first rows when it opens on the desk.
  preloadLastLanguage()
  const firstRows = first.name === 'desk' ? readDeskHeadEarly(usePlatform().db) : null
  // The session is read from the device first, so the app opens signed in while offline.
  await useSessionStore().load()
  // The screen's words come before the first screen: only its language is loaded.
  await useLanguageStore().start()
  await firstRows
  app.mount('#app')
  // Syncing starts once the first screen is up (the queue paints from the device, then catches up),
  // and in any case within a second: a first navigation that never settles must not keep the
  // tablet from syncing.
  await Promise.race([router.isReady().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 1000))])
  setTimeout(() => useSyncStore().start(), 300)
}
