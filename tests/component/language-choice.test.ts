// @vitest-environment jsdom
import 'fake-indexeddb/auto'
import { flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { setPlatform } from '@/app/platform'
import { getMeta, PickingDatabase, setMeta } from '@/db/schema'
import { t } from '@/i18n'
import type { SignedIn } from '#core/station-api.ts'
import { StationApi } from '@/services/api/client'
import { useLanguageStore } from '@/stores/language'
import { useSessionStore } from '@/stores/session'

/**
 * The screen's language: the browser's on first start, then whoever chooses one gets it back on
 * this device, and the device keeps the last choice for the sign-in screen.
 */

const person = (name: string, role: 'picker' | 'lead'): SignedIn => ({
  token: `token-${name}`,
  user: { id: name.length, name, display_name: name, role },
  expires_at: '2099-01-01T00:00:00.000Z',
})

let db: PickingDatabase

beforeEach(() => {
  db = new PickingDatabase(`test-${crypto.randomUUID()}`)
  const offline: typeof fetch = async () => {
    throw new TypeError('Failed to fetch')
  }
  setPlatform({ db, api: new StationApi({ fetch: offline }), locks: null, clock: Date.now, random: Math.random, makeKey: () => crypto.randomUUID(), fetch: offline, caches: null, openEvents: null })
})
afterEach(async () => {
  vi.restoreAllMocks()
  db.close()
  await db.delete()
})

async function startApp() {
  setActivePinia(createPinia())
  const session = useSessionStore()
  await session.load()
  const language = useLanguageStore()
  await language.start()
  return { session, language }
}

describe('the screen’s language', () => {
  it('is the first of the browser’s languages the app speaks, on first start', async () => {
    vi.spyOn(navigator, 'languages', 'get').mockReturnValue(['de-AT', 'sk-SK', 'en'])
    const { language } = await startApp()
    expect(language.language).toBe('sk')
    expect(document.documentElement.lang).toBe('sk')
    expect(t('signIn.signIn')).toBe('Prihlásiť')
  })

  it('is English for a browser in a language the app does not speak', async () => {
    vi.spyOn(navigator, 'languages', 'get').mockReturnValue(['de-DE'])
    const { language } = await startApp()
    expect(language.language).toBe('en')
    expect(t('signIn.signIn')).toBe('Sign in')
  })

  it('is kept for each person on this device, and the device keeps the last one chosen', async () => {
    vi.spyOn(navigator, 'languages', 'get').mockReturnValue(['cs-CZ'])
    const first = await startApp()
    first.session.session = person('picker', 'picker')
    await flushPromises()
    await first.language.choose('hu')
    expect(t('sync.signOut')).toBe('Kijelentkezés')
    expect(await getMeta('language:picker', null, db)).toBe('hu')

    // A lead signs in on the same tablet and chooses Polish for themself.
    first.session.session = person('lead', 'lead')
    await flushPromises()
    await first.language.choose('pl')
    expect(await getMeta('language:lead', null, db)).toBe('pl')
    // The picker comes back: Hungarian again.
    first.session.session = person('picker', 'picker')
    await vi.waitFor(() => expect(first.language.language).toBe('hu'))

    // The app starts again, nobody signed in: the sign-in screen speaks the last choice.
    const again = await startApp()
    expect(again.language.language).toBe('pl')
  })

  it('is the one asked for in the address (?language=), even for someone with their own choice', async () => {
    vi.spyOn(navigator, 'languages', 'get').mockReturnValue(['cs-CZ'])
    const first = await startApp()
    first.session.session = person('picker', 'picker')
    await flushPromises()
    await first.language.choose('hu')
    await first.session.signOut()
    // Signed in again as the picker, the app opened at /?language=sl.
    await setMeta('session', person('picker', 'picker'), db)
    window.history.replaceState(null, '', '/?language=sl')
    try {
      const again = await startApp()
      expect(again.language.language).toBe('sl')
      expect(await getMeta('language:picker', null, db)).toBe('sl')
    } finally {
      window.history.replaceState(null, '', '/')
    }
  })
})
