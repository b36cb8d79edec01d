import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../../../server/config.ts'
import { TokenBucket } from '../../../../server/marketplace/allegro/rate-limit.ts'

describe('MARKETPLACE=allegro', () => {
  it('needs the app’s client id and secret, and says where they come from', () => {
    const start = () => loadConfig({ MARKETPLACE: 'allegro' })
    expect(start).toThrow(ConfigError)
    expect(start).toThrow(/ALLEGRO_CLIENT_ID: is required with MARKETPLACE=allegro/)
    expect(start).toThrow(/ALLEGRO_CLIENT_SECRET: is required/)
  })

  it('ALLEGRO_ENV picks Allegro’s hosts: production by default, or the sandbox', () => {
    const env = { MARKETPLACE: 'allegro', ALLEGRO_CLIENT_ID: 'id', ALLEGRO_CLIENT_SECRET: 'secret' }
    expect(loadConfig(env).allegro).toMatchObject({ apiUrl: 'https://api.allegro.pl', oauthUrl: 'https://allegro.pl', env: 'production' })
    expect(loadConfig({ ...env, ALLEGRO_ENV: 'sandbox' }).allegro).toMatchObject({
      apiUrl: 'https://api.allegro.pl.allegrosandbox.pl',
      oauthUrl: 'https://allegro.pl.allegrosandbox.pl',
    })
    expect(() => loadConfig({ ...env, ALLEGRO_ENV: 'staging' })).toThrow(/ALLEGRO_ENV/)
  })

  it('demo-allegro talks to the simulator on the station’s own port', () => {
    expect(loadConfig({ MARKETPLACE: 'demo-allegro', PORT: '9000', HTTPS_PORT: '9443' }).allegro.apiUrl).toBe('http://127.0.0.1:9000/allegro')
  })
})

describe('the request budget', () => {
  it('spends at most 9,000 requests a minute: a burst goes at once, the rest at 150 a second', async () => {
    let now = 0
    const slept: number[] = []
    const bucket = new TokenBucket(9000, 100, () => now, async (ms) => {
      slept.push(ms)
      now += ms
    })
    for (let i = 0; i < 250; i++) await bucket.take()
    // 100 at once, then 150 more at one every 1/150 s: a second.
    expect(now).toBeGreaterThanOrEqual(1000)
    expect(now).toBeLessThan(1100)
    expect(slept.length).toBeGreaterThanOrEqual(150)
  })

  it('after a 429 Allegro blocks the app for a minute: the bucket says until when', () => {
    let now = 1_000
    const bucket = new TokenBucket(9000, 100, () => now)
    bucket.block(now + 60_000)
    expect(bucket.blockedUntilMs).toBe(61_000)
    now = 61_001
    expect(bucket.blockedUntilMs).toBe(0)
  })
})
