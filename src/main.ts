import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import { router } from './router'
import { useSessionStore } from './stores/session'
import { useSyncStore } from './stores/sync'
import './styles/base.css'

const app = createApp(App)
app.use(createPinia())
app.use(router)

// The session is read from the device first, so the app opens signed in while offline.
await useSessionStore().load()
app.mount('#app')
// Syncing starts once the first screen is up: the queue paints from the device, then catches up.
await router.isReady()
setTimeout(() => useSyncStore().start(), 300)
