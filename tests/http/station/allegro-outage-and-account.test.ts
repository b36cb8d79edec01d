import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { AllegroMarketplace } from '../../../server/marketplace/allegro/allegro.ts'
import { openDatabase } from '../../../server/store/database.ts'
import { DEMO_SELLER } from '#core/seller.ts'
import { startAllegroSimulator } from '../../support/allegro-simulator.ts'
import { eventually } from '../../support/station.ts'
import { deliveryMethod, fulfillmentsOf, newAllegroOrder, startAllegroStation, test } from './allegro-helpers.ts'
import { changeStatus, expectProblem, stationOrder } from './helpers.ts'

const scans = (sku: string, units: number) => ({ scans: [{ sku, units, code: null, at: new Date().toISOString(), source: 'wedge' }] })

describe('Allegro: outages and restarts', () => {
  it('a 429 with its block, a hang, a 503 and a restart: each change reaches Allegro exactly once', async () => {
    let running = await startAllegroStation({ allegro: { rateLimitBlockMs: 1500 } })
    try {
      const token = await running.signIn('picker', '1111', 'tablet-1')
      const method = await deliveryMethod(running, 'PPL kurýr na dobírku')
      const orders = []
      for (let i = 0; i < 3; i++) orders.push(await newAllegroOrder(running, token, { marketplace: 'allegro-cz', deliveryMethodId: method }))

      // Allegro blocks the app (429) while the packers work.
      expect((await running.allegro('POST', '/_sim/rate-limit/block', { seconds: 2 })).status).toBe(200)
      for (const { order } of orders) {
        expect((await running.api('POST', `/api/orders/${order.id}/claim`, { token })).status).toBe(200)
        expect((await changeStatus(running, token, order.id, { status: 'shipping', confirmed: true, packing: scans(order.items[0].id, order.items[0].quantity) })).status).toBe(200)
      }
      // Then it stops answering, the station restarts, and Allegro fails with 503 for a while.
      await running.allegro('POST', '/_sim/outage', { mode: 'hang' })
      await new Promise((resolve) => setTimeout(resolve, 2500))
      running = await running.restart()
      await running.allegro('POST', '/_sim/outage', { mode: '503' })
      await new Promise((resolve) => setTimeout(resolve, 1000))
      await running.allegro('POST', '/_sim/outage', { mode: 'off' })

      for (const { formId } of orders) {
        await eventually(async () => (await fulfillmentsOf(running, formId)).length >= 2, 20_000)
      }
      await new Promise((resolve) => setTimeout(resolve, 1000))
      for (const { formId, order } of orders) {
        expect(await fulfillmentsOf(running, formId)).toEqual(['PROCESSING', 'READY_FOR_SHIPMENT'])
        const current = await eventually(async () => {
          const o = (await stationOrder(running, token, order.id)).order
          return o.synced ? o : null
        })
        expect(current).toMatchObject({ status: 'shipping', conflict: null })
      }
    } finally {
      await running.close()
    }
  }, 60_000)
})

describe('Allegro: the account', () => {
  test('Allegro ends the access: the lead sees “connect again”, changes wait, and after connecting with the device flow each goes once', async ({ running, token, lead }) => {
    const { formId, order } = await newAllegroOrder(running, token, { marketplace: 'allegro-pl', deliveryMethodId: await deliveryMethod(running, 'Kurier DPD pobranie') })
    expect(order.currency).toBe('PLN')
    expect((await running.allegro('POST', '/_sim/tokens/revoke')).status).toBe(200)
    await running.api('POST', `/api/orders/${order.id}/claim`, { token })
    expect((await changeStatus(running, token, order.id, { status: 'shipping', confirmed: true, packing: scans(order.items[0].id, order.items[0].quantity) })).status).toBe(200)

    await eventually(async () => (await running.api('GET', '/api/health')).body.marketplace.account === 'connect_again', 10_000)
    const lost = await running.api('GET', '/api/marketplace/account', { token: lead })
    expect(lost.body).toMatchObject({ status: 'connect_again' })
    expect(lost.body.message).toMatch(/connect Allegro again/)
    expect(await fulfillmentsOf(running, formId)).toEqual([])

    expectProblem(await running.api('POST', '/api/marketplace/account/connect', { token }), 403, 'FORBIDDEN')
    const connecting = await running.api('POST', '/api/marketplace/account/connect', { token: lead })
    expect(connecting.status).toBe(200)
    expect(connecting.body).toMatchObject({ status: 'connecting', user_code: expect.any(String), verification_uri: expect.stringMatching(/skojarz-aplikacje$/) })
    expect(connecting.text).not.toMatch(/access_token|refresh_token|device_code/)
    // The lead enters the code on Allegro's page.
    expect((await running.allegro('POST', '/_sim/device/approve', { user_code: connecting.body.user_code })).body.approved).toBe(1)
    await eventually(async () => (await running.api('GET', '/api/marketplace/account', { token: lead })).body.status === 'connected', 15_000)
    await eventually(async () => (await fulfillmentsOf(running, formId)).length === 2, 15_000)
    expect(await fulfillmentsOf(running, formId)).toEqual(['PROCESSING', 'READY_FOR_SHIPMENT'])
  }, 40_000)
})

describe('Allegro: one refresher at a time', () => {
  it('two requests find the access token expiring at once: one refresh, and the account stays connected', async () => {
    const allegro = await startAllegroSimulator({ accessTokenTtlSeconds: 120 })
    const dir = mkdtempSync(join(tmpdir(), 'allegro-account-'))
    const db = openDatabase(join(dir, 'station.sqlite'))
    try {
      const marketplace = new AllegroMarketplace({
        db,
        apiUrl: allegro.base,
        oauthUrl: allegro.base,
        clientId: allegro.sim.options.clientId,
        clientSecret: allegro.sim.options.clientSecret,
        sender: () => DEMO_SELLER,
      })
      // Two minutes left: within the margin, so the next requests renew it first.
      marketplace.account.useTokens(allegro.sim.issueTokens())
      const offers = allegro.sim.offers().slice(0, 4)
      const before = allegro.sim.writeLog(0).length
      const products = await Promise.all(offers.map((offer) => marketplace.getProduct(offer.id)))
      expect(products.map((p) => p.barcode)).toEqual(offers.map((offer) => offer.ean))
      const grants = allegro.sim.writeLog(0).slice(before).filter((entry) => entry.path === '/auth/oauth/token')
      expect(grants.map((g) => g.body)).toEqual([{ grant_type: 'refresh_token' }])
      expect(marketplace.account.state().status).toBe('connected')
      // Long after the old pair's 60 s grace, the kept pair still works.
      allegro.advance(5 * 60_000)
      await marketplace.ordersInPlay()
      expect(marketplace.account.state().status).toBe('connected')
    } finally {
      db.close()
      await allegro.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
