import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { DEMO_SELLER } from '#core/seller.ts'
import { AllegroMarketplace } from '../../../../server/marketplace/allegro/allegro.ts'
import { MarketplaceError } from '../../../../server/marketplace/marketplace.ts'
import { openDatabase, type StationDatabase } from '../../../../server/store/database.ts'
import { checkoutForm } from './fixtures.ts'

/**
 * The fulfillment PUT carries the form's revision; a 409 means the buyer changed the form
 * meanwhile: the station reads it again, checks again, and retries, or raises a conflict.
 * Allegro here is a script of answers, so each race happens exactly when the test says.
 */

const FORM = checkoutForm()
let dir: string
let db: StationDatabase

afterEach(() => {
  db?.close()
  rmSync(dir, { recursive: true, force: true })
})

function marketplaceWith(handle: (method: string, url: URL, body: unknown) => { status: number; body?: unknown }) {
  dir = mkdtempSync(join(tmpdir(), 'allegro-revisions-'))
  db = openDatabase(join(dir, 'station.sqlite'))
  const requests: string[] = []
  const fetchStub: typeof fetch = async (input, init) => {
    const url = new URL(String(input))
    const method = init?.method ?? 'GET'
    requests.push(`${method} ${url.pathname}${url.search}`)
    const answer = handle(method, url, init?.body ? JSON.parse(String(init.body)) : null)
    return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), { status: answer.status, headers: { 'content-type': 'application/vnd.allegro.public.v1+json' } })
  }
  const marketplace = new AllegroMarketplace({ db, apiUrl: 'https://api.allegro.test', oauthUrl: 'https://allegro.test', clientId: 'id', clientSecret: 's', sender: () => DEMO_SELLER, fetch: fetchStub })
  marketplace.account.useTokens({ access_token: 'a', refresh_token: 'r', expires_in: 43_199 })
  const number = marketplace.store.saveForm(FORM)
  return { marketplace, number, requests }
}

describe('Allegro revisions', () => {
  it('a 409 (the buyer changed the form meanwhile): read again, check again, PUT again with the new revision', async () => {
    let revision = 'aaaa0001'
    let puts = 0
    const { marketplace, number, requests } = marketplaceWith((method, url) => {
      if (method === 'GET') return { status: 200, body: { ...FORM, revision } }
      puts++
      if (url.searchParams.get('checkoutForm.revision') !== revision) return { status: 409, body: { errors: [{ code: 'CONFLICT', message: 'stale revision' }] } }
      if (puts === 1) {
        // The buyer changed the address just before this PUT.
        revision = 'bbbb0002'
        return { status: 409, body: { errors: [{ code: 'CONFLICT', message: 'stale revision' }] } }
      }
      return { status: 204 }
    })
    await marketplace.changeStatus(number, { status: 'shipping', confirmed: true })
    expect(requests.filter((r) => r.startsWith('PUT'))).toEqual([
      `PUT /order/checkout-forms/${FORM.id}/fulfillment?checkoutForm.revision=aaaa0001`,
      `PUT /order/checkout-forms/${FORM.id}/fulfillment?checkoutForm.revision=bbbb0002`,
    ])
  })

  it('re-read after a 409 shows the buyer cancelled: no retry, a refusal the packer reads as a conflict', async () => {
    let cancelled = false
    const { marketplace, number, requests } = marketplaceWith((method) => {
      if (method === 'GET') return { status: 200, body: { ...FORM, status: cancelled ? 'CANCELLED' : 'READY_FOR_PROCESSING', revision: cancelled ? 'cccc0003' : 'aaaa0001' } }
      cancelled = true
      return { status: 409, body: { errors: [{ code: 'CONFLICT', message: 'stale revision' }] } }
    })
    const error = await marketplace.startPacking(number).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(MarketplaceError)
    expect(error).toMatchObject({ kind: 'refused', code: 'ORDER_CANCELLED' })
    expect((error as Error).message).toMatch(/refund is done in Allegro/)
    expect(requests.filter((r) => r.startsWith('PUT'))).toHaveLength(1)
  })

  it('a form that keeps changing: three tries, then a conflict rather than a loop', async () => {
    let n = 0
    const { marketplace, number, requests } = marketplaceWith((method) => {
      if (method === 'GET') return { status: 200, body: { ...FORM, revision: `0000000${++n}` } }
      return { status: 409, body: { errors: [{ code: 'CONFLICT', message: 'stale revision' }] } }
    })
    await expect(marketplace.changeStatus(number, { status: 'shipping', confirmed: true })).rejects.toMatchObject({ kind: 'refused', code: 'REVISION_CONFLICT' })
    expect(requests.filter((r) => r.startsWith('PUT'))).toHaveLength(3)
  })

  it('packing already started on Allegro (PROCESSING or later): the first scan sends nothing', async () => {
    const { marketplace, number, requests } = marketplaceWith(() => ({ status: 200, body: { ...FORM, fulfillment: { status: 'READY_FOR_SHIPMENT' } } }))
    await marketplace.startPacking(number)
    expect(requests.filter((r) => r.startsWith('PUT'))).toEqual([])
  })
})

describe('a form Allegro replaced', () => {
  it('a form gone from Allegro (paid together with others into a new form) leaves the floor as cancelled, and a change for it is refused saying why', async () => {
    const { marketplace, number, requests } = marketplaceWith(() => ({ status: 404, body: { errors: [{ code: 'CheckoutFormNotFoundException', message: 'not found' }] } }))
    await expect(marketplace.startPacking(number)).rejects.toMatchObject({ kind: 'refused', code: 'ORDER_REPLACED' })
    const order = await marketplace.getOrder(number)
    expect(order).toMatchObject({ id: number, status: 'cancelled', external_id: FORM.id })
    expect(requests.filter((r) => r.startsWith('PUT'))).toEqual([])
  })
})
