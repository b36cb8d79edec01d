import { defineStore } from 'pinia'
import { watch } from 'vue'
import { usePlatform } from '@/app/platform'
import { getMeta, setMeta } from '@/db/schema'
import { screenLanguage, showLanguage } from '@/i18n'
import { isScreenLanguage, languageFromBrowser, type ScreenLanguage } from '@/i18n/languages'
import { useSessionStore } from './session'

/**
 * The screen's language: on first start the first of the browser's languages the app speaks
 * (English otherwise); once someone chooses one in the status bar, theirs, kept on this device for
 * them (and as the device's, for the sign-in screen). `?language=cs` in the address chooses too
 * (`en-XA`, the pseudo-language, is how a longer language's fit is checked).
 */
export const useLanguageStore = defineStore('language', () => {
  const { db } = usePlatform()
  const session = useSessionStore()

  async function start(): Promise<void> {
    const asked = typeof location === 'undefined' ? null : new URLSearchParams(location.search).get('language')
    // Asked for in the address: chosen, as in the status bar (for whoever is signed in too).
    if (isScreenLanguage(asked)) await choose(asked)
    else await showLanguage(await chosen())
    // Whoever signs in later gets their own language back (the one signed in now has it).
    watch(
      () => session.user?.name,
      async (name) => {
        if (!name) return
        const theirs = await getMeta(`language:${name}`, null, db)
        if (theirs && theirs !== screenLanguage.value) await showLanguage(theirs)
      },
    )
  }

  async function chosen(): Promise<ScreenLanguage> {
    const name = session.user?.name
    const [theirs, device] = await Promise.all([name ? getMeta(`language:${name}`, null, db) : null, getMeta('language', null, db)])
    const browser = typeof navigator === 'undefined' ? [] : navigator.languages
    return theirs ?? device ?? languageFromBrowser(browser)
  }

  async function choose(language: ScreenLanguage): Promise<void> {
    await showLanguage(language)
    await setMeta('language', language, db)
    const name = session.user?.name
    if (name) await setMeta(`language:${name}`, language, db)
  }

  return { language: screenLanguage, start, choose }
})
