import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { AllegroAccount } from '../../../../server/marketplace/allegro/account.ts'
import { AllegroStore } from '../../../../server/marketplace/allegro/store.ts'
import { openDatabase, type StationDatabase } from '../../../../server/store/database.ts'

/**
 * The device flow's polling as Allegro's OAuth server paces it: `interval` seconds between polls,
 * 5 s more after each `slow_down`, until the token comes or the seller refuses.
 */

let dir: string
let db: StationDatabase

afterEach(() => {
  db?.close()
  rmSync(dir, { recursive: true, force: true })
})

function accountAnswering(tokenAnswers: { status: number; body: Record<string, unknown> }[]) {
  dir = mkdtempSync(join(tmpdir(), 'allegro-device-'))
  db = openDatabase(join(dir, 'station.sqlite'))
  const store = new AllegroStore(db)
  const waits: number[] = []
  const posts: { path: string; form: Record<string, string>; basic: string | null }[] = []
  let done: () => void = () => {}
  const finished = new Promise<void>((resolve) => (done = resolve))
  const fetchStub: typeof fetch = async (input, init) => {
    const url = new URL(String(input))
    const form = Object.fromEntries(new URLSearchParams(String(init?.body ?? '')))
    posts.push({ path: url.pathname, form, basic: (init?.headers as Record<string, string>).authorization ?? null })
    if (url.pathname === '/auth/oauth/device') {
      return Response.json({ device_code: 'dev-1', user_code: 'ABCD1234', verification_uri: 'https://allegro.pl/skojarz-aplikacje', verification_uri_complete: 'https://allegro.pl/skojarz-aplikacje?code=ABCD1234', expires_in: 3600, interval: 5 })
    }
    const answer = tokenAnswers.shift() ?? { status: 400, body: { error: 'access_denied' } }
    if (tokenAnswers.length === 0) setTimeout(done, 0)
    return Response.json(answer.body, { status: answer.status })
  }
  const account = new AllegroAccount({
    store,
    oauthUrl: () => 'https://allegro.test',
    clientId: 'client',
    clientSecret: 'secret',
    timeoutMs: 1000,
    fetch: fetchStub,
    sleep: async (ms) => void waits.push(ms),
  })
  return { account, store, waits, posts, finished }
}

describe('connecting Allegro with the device flow', () => {
  it('polls every interval, 5 s slower after each slow_down, and keeps the tokens it gets', async () => {
    const { account, store, waits, posts, finished } = accountAnswering([
      { status: 400, body: { error: 'authorization_pending' } },
      { status: 400, body: { error: 'slow_down' } },
      { status: 400, body: { error: 'authorization_pending' } },
      { status: 400, body: { error: 'slow_down' } },
      { status: 200, body: { access_token: 'access-1', refresh_token: 'refresh-1', expires_in: 43_199 } },
    ])
    const started = await account.connect()
    expect(started).toMatchObject({ status: 'connecting', user_code: 'ABCD1234', verification_uri_complete: 'https://allegro.pl/skojarz-aplikacje?code=ABCD1234' })
    await finished
    await vi.waitFor(() => expect(account.state().status).toBe('connected'))
    expect(waits).toEqual([5000, 5000, 10_000, 10_000, 15_000])
    expect(posts[0]).toMatchObject({ path: '/auth/oauth/device', form: { client_id: 'client' }, basic: `Basic ${Buffer.from('client:secret').toString('base64')}` })
    expect(posts.slice(1).map((p) => p.form)).toEqual(Array(5).fill({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: 'dev-1' }))
    expect(account.state().status).toBe('connected')
    expect(store.tokens()).toMatchObject({ access_token: 'access-1', refresh_token: 'refresh-1' })
  })

  it('the seller refuses on Allegro’s page: not connected, and the lead is told to try again', async () => {
    const { account, finished } = accountAnswering([{ status: 400, body: { error: 'access_denied' } }])
    await account.connect()
    await finished
    await vi.waitFor(() => expect(account.state().status).toBe('not_connected'))
    expect(account.state()).toMatchObject({ status: 'not_connected', message: expect.stringMatching(/refused.*Connect Allegro/) })
  })
})
