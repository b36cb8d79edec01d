// @vitest-environment jsdom
// fake-indexeddb must be in place before Dexie is first imported.
import 'fake-indexeddb/auto'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { setPlatform } from '@/app/platform'
import { i18n, showLanguage } from '@/i18n'
import { PickingDatabase, setMeta } from '@/db/schema'
import type { MarketplaceAccountState, SignedIn } from '#core/station-api.ts'
import SettingsMarketplaceAccount from '@/components/settings/SettingsMarketplaceAccount.vue'
import { StationApi } from '@/services/api/client'
import { useSessionStore } from '@/stores/session'

/** Connecting the Allegro account in Settings, as a team lead sees it (in English). */

await showLanguage('en')

const LEAD: SignedIn = { token: 'lead-token', user: { id: 2, name: 'lead', display_name: 'Lead', role: 'lead' }, expires_at: '2099-01-01T00:00:00.000Z' }

async function mountPanel(answers: (method: string, url: string) => { status: number; body: unknown }) {
  const db = new PickingDatabase(`account-${Math.random()}`)
  const calls: string[] = []
  const fetchStub: typeof fetch = async (input, init) => {
    const method = init?.method ?? 'GET'
    calls.push(`${method} ${String(input)}`)
    const { status, body } = answers(method, String(input))
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
  }
  setPlatform({ db, api: new StationApi({ fetch: fetchStub }), locks: null, clock: Date.now, random: Math.random, makeKey: () => 'k', fetch: fetchStub, caches: null, openEvents: null })
  await setMeta('session', LEAD, db)
  const pinia = createPinia()
  setActivePinia(pinia)
  await useSessionStore(pinia).load()
  const wrapper = mount(SettingsMarketplaceAccount, { global: { plugins: [pinia, i18n] }, attachTo: document.body })
  await flushPromises()
  return { wrapper, calls }
}

afterEach(() => {
  document.body.innerHTML = ''
})

describe('the Allegro account in Settings', () => {
  it('a lead presses Connect Allegro and sees the code, the page and its QR code; then “Connected”', async () => {
    let state: MarketplaceAccountState = { status: 'not_connected', message: 'Connect Allegro so the station can read and work its orders.' }
    const { wrapper, calls } = await mountPanel((method) => {
      if (method === 'POST') {
        state = { status: 'connecting', user_code: 'ABCD1234', verification_uri: 'https://allegro.pl/skojarz-aplikacje', verification_uri_complete: 'https://allegro.pl/skojarz-aplikacje?code=ABCD1234', expires_at: '2099-01-01T00:00:00Z', message: 'Enter the code.' }
        return { status: 200, body: state }
      }
      return { status: 200, body: state }
    })
    expect(wrapper.get('[data-testid="account-status"]').text()).toBe('Not connected')
    const button = wrapper.findAll('button').find((b) => b.text() === 'Connect Allegro')
    expect(button).toBeDefined()
    await button!.trigger('click')
    await flushPromises()
    expect(calls).toContain('POST /api/marketplace/account/connect')
    expect(wrapper.get('[data-testid="account-code"]').text()).toBe('ABCD1234')
    expect(wrapper.get('a').attributes('href')).toBe('https://allegro.pl/skojarz-aplikacje?code=ABCD1234')
    await vi.waitFor(() => expect(wrapper.find('[role="img"] svg').exists()).toBe(true), { timeout: 5000 })
    expect(wrapper.get('[role="img"]').attributes('aria-label')).toBe('QR code of https://allegro.pl/skojarz-aplikacje')

    state = { status: 'connected', message: 'The station works this Allegro account’s orders.' }
    await vi.waitFor(() => expect(wrapper.get('[data-testid="account-status"]').text()).toBe('Connected'), { timeout: 5000 })
    expect(wrapper.text()).not.toContain('ABCD1234')
  })

  it('a station on MALL has no account to connect: nothing is shown', async () => {
    const { wrapper } = await mountPanel(() => ({ status: 404, body: { status: 404, code: 'NO_ACCOUNT_TO_CONNECT', detail: 'x' } }))
    expect(wrapper.find('section').exists()).toBe(false)
  })

  it('Allegro ended the access: the lead reads “Connect again” and the button says so', async () => {
    const { wrapper } = await mountPanel(() => ({ status: 200, body: { status: 'connect_again', message: 'Allegro ended the station’s access: connect Allegro again.' } }))
    expect(wrapper.get('[data-testid="account-status"]').text()).toBe('Connect again')
    expect(wrapper.findAll('button').map((b) => b.text())).toContain('Connect Allegro again')
  })
})
