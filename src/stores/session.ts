import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { usePlatform } from '@/app/platform'
import { getMeta, setMeta } from '@/db/schema'
import type { SignedIn } from '#core/station-api.ts'
import { ApiError } from '@/services/api/client'
import { t } from '@/i18n'
import { errorSentence } from '@/i18n/sentences'
import { requestPersistence } from '@/services/storage'

/**
 * Who works on this tablet. The token is kept on the device so the app opens offline and the
 * outbox can send later; signing out forgets it but never the changes waiting to be sent.
 */
export const useSessionStore = defineStore('session', () => {
  const platform = usePlatform()
  const session = shallowRef<SignedIn | null>(null)
  const deviceId = ref<string>('')
  const loaded = ref(false)
  /** The station said the session is gone while changes wait: sign in again to send them. */
  const expired = ref(false)

  const token = computed(() => session.value?.token ?? null)
  const user = computed(() => session.value?.user ?? null)

  async function load(): Promise<void> {
    if (loaded.value) return
    // Both at once: the app's first screen waits on this read.
    const [signedIn, kept] = await Promise.all([getMeta('session', null, platform.db), getMeta('device_id', null, platform.db)])
    session.value = signedIn
    let id = kept
    if (!id) {
      id = `tablet-${platform.makeKey().slice(0, 8)}`
      await setMeta('device_id', id, platform.db)
    }
    deviceId.value = id
    loaded.value = true
  }

  /** Signs in; returns a sentence for the person when it fails. */
  async function signIn(name: string, pin: string): Promise<string | null> {
    try {
      const signedIn = await platform.api.signIn(name.trim().toLowerCase(), pin, deviceId.value)
      await setMeta('session', signedIn, platform.db)
      session.value = signedIn
      expired.value = false
      // Ask once the person has signed in: browsers grant persistence to apps in real use.
      void requestPersistence().catch(() => false)
      return null
    } catch (error) {
      return error instanceof ApiError ? errorSentence(error) : t('signIn.failed')
    }
  }

  async function signOut(): Promise<void> {
    const old = token.value
    session.value = null
    await setMeta('session', null, platform.db)
    if (old) void platform.api.signOut(old).catch(() => undefined)
  }

  function markExpired(): void {
    expired.value = true
  }

  return { session, token, user, deviceId, loaded, expired, load, signIn, signOut, markExpired }
})
