// fake-indexeddb must be in place before Dexie is first imported.
import 'fake-indexeddb/auto'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { defineComponent, h, type Component } from 'vue'
import { createMemoryHistory, createRouter, type RouteLocationRaw, type Router } from 'vue-router'
import { setPlatform } from '@/app/platform'
import { PickingDatabase, setMeta } from '@/db/schema'
import type { SignedIn } from '#core/station-api.ts'
import { StationApi } from '@/services/api/client'
import { useSessionStore } from '@/stores/session'
import { useSettingsStore } from '@/stores/settings'
import { useSyncStore } from '@/stores/sync'
import { i18n, showLanguage } from '@/i18n'

// The screens in English, as a browser set to English shows them.
await showLanguage('en')

/**
 * The tablet a component test runs the app on: a fresh database, the platform on it (a station
 * reached through a stand-in fetch, a clock the test sets), a signed-in packer, and a screen
 * mounted behind a router, as the app shows it.
 */

export const SESSION: SignedIn = {
  token: 't',
  user: { id: 1, name: 'picker', display_name: 'Picker', role: 'picker' },
  expires_at: '2099-01-01T00:00:00.000Z',
}

/** A request the app tried to send. */
export interface SentRequest {
  url: string
  method: string
  headers: Record<string, string>
  body: unknown
}

/** A database of its own for one test. */
export function freshDatabase(): PickingDatabase {
  return new PickingDatabase(`test-${crypto.randomUUID()}`)
}

/** The Wi-Fi is down: no request reaches the station; each one tried is noted in `sent`. */
export function unreachableStation(sent: SentRequest[] = []): typeof fetch {
  return async (input, init) => {
    sent.push({
      url: String(input),
      method: init?.method ?? 'GET',
      headers: { ...(init?.headers as Record<string, string>) },
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : null,
    })
    throw new TypeError('Failed to fetch')
  }
}

/** Idempotency keys key-1, key-2, …: one counter a tablet, which a reload does not reset. */
export function keyCounter(): () => string {
  let keys = 0
  return () => `key-${++keys}`
}

export interface PlatformOptions {
  clock: () => number
  /** The station as the app's fetch reaches it; by default one that cannot be reached. */
  station?: typeof fetch
  makeKey?: () => string
}

/** The app's platform on `db`: no locks, caches or server events; `random` always 0.5. */
export function usePlatform(db: PickingDatabase, { clock, station = unreachableStation(), makeKey = keyCounter() }: PlatformOptions): void {
  setPlatform({
    db,
    api: new StationApi({ fetch: station }),
    locks: null,
    clock,
    random: () => 0.5,
    makeKey,
    fetch: station,
    caches: null,
    openEvents: null,
  })
}

/** A signed-in user on this tablet (`tablet-test`). */
export async function signInOn(db: PickingDatabase, session: SignedIn = SESSION): Promise<void> {
  await setMeta('session', session, db)
  await setMeta('device_id', 'tablet-test', db)
}

export interface MountedApp {
  pinia: Pinia
  router: Router
  wrapper: VueWrapper
}

const Blank = defineComponent({ render: () => h('div') })

/** The app's routes, every screen a blank stand-in. */
const ROUTES = [
  { path: '/', name: 'queue', component: Blank },
  { path: '/orders/:id(\\d+)', name: 'order', component: Blank },
  { path: '/orders/:id(\\d+)/pack', name: 'pack', component: Blank },
  { path: '/orders/:id(\\d+)/print/:doc(note|label)', name: 'print', component: Blank },
  { path: '/handover', name: 'handover', component: Blank },
  { path: '/settings', name: 'settings', component: Blank },
  { path: '/conflicts', name: 'conflicts', component: Blank },
  { path: '/desk', name: 'desk', component: Blank },
]

/** Mounts one screen at `route` as the router would show it, for the signed-in user: a new app on the current platform. */
export async function mountApp(component: Component, route: RouteLocationRaw, props: Record<string, unknown> = {}): Promise<MountedApp> {
  const pinia = createPinia()
  setActivePinia(pinia)
  const router = createRouter({ history: createMemoryHistory(), routes: ROUTES })
  await router.push(route)
  await router.isReady()
  // The router's guard loads the session before any working screen.
  await useSessionStore(pinia).load()
  const wrapper = mount(component, { props, global: { plugins: [pinia, router, i18n] }, attachTo: document.body })
  return { pinia, router, wrapper }
}

/** Unmounts the app, stops its stores, and deletes the tablet's database. */
export async function closeApp(wrapper: VueWrapper | null, pinia: Pinia, db: PickingDatabase): Promise<void> {
  wrapper?.unmount()
  useSyncStore(pinia).stop()
  useSyncStore(pinia).$dispose()
  useSettingsStore(pinia).$dispose()
  useSessionStore(pinia).$dispose()
  await flushPromises()
  db.close()
  await db.delete()
  document.body.innerHTML = ''
}

/** Lets the live queries, the outbox transaction and the (failing) send run their course. */
export async function settles(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await flushPromises()
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

/** The buttons whose text is `name` (or matches it). */
export function buttonsIn(wrapper: VueWrapper, name: string | RegExp) {
  return wrapper.findAll('button').filter((b) => (typeof name === 'string' ? b.text() === name : name.test(b.text())))
}

/** The first button whose text is `name` (or matches it); throws if there is none. */
export function buttonIn(wrapper: VueWrapper, name: string | RegExp) {
  const [found] = buttonsIn(wrapper, name)
  if (!found) throw new Error(`no button ${String(name)}`)
  return found
}
