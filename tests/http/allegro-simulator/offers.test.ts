import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isValidGtin } from '#core/gtin.ts'
import { startAllegroSimulator, type RunningAllegro } from '../../support/allegro-simulator.ts'
import { expectErrors, listAll } from './helpers.ts'

/** Reference §6 "Photos and EAN": GET /sale/product-offers/{offerId}. */

let sim: RunningAllegro

beforeAll(async () => {
  sim = await startAllegroSimulator()
})
afterAll(() => sim?.close())

describe('GET /sale/product-offers/{offerId}', () => {
  it('gives each ordered offer its images, the SKU as external.id and the EAN as parameter 225693 of the product', async () => {
    const forms = await listAll(sim)
    const lines = new Map<string, string>()
    for (const form of forms) for (const item of form.lineItems) lines.set(item.offer.id, item.offer.external.id)
    expect(lines.size).toBeGreaterThan(3)
    for (const [offerId, sku] of lines) {
      const offer = await sim.call('GET', `/sale/product-offers/${offerId}`)
      expect(offer.status, offer.text).toBe(200)
      expect(offer.body.id).toBe(offerId)
      expect(offer.body.external.id).toBe(sku)
      expect(offer.body.images.length).toBeGreaterThan(0)
      const parameters = offer.body.productSet.flatMap((element: { product: { parameters: { id: string; values: string[] }[] } }) => element.product.parameters)
      const ean = parameters.find((p: { id: string }) => p.id === '225693')
      expect(ean?.values).toHaveLength(1)
      expect(isValidGtin(ean.values[0])).toBe(true)
      // Not among the offer's own parameters (#12672).
      expect(offer.body.parameters ?? []).toEqual([])
    }
  })

  it('serves the images as pictures anyone may fetch and cache', async () => {
    const [form] = await listAll(sim)
    const offer = await sim.call('GET', `/sale/product-offers/${form.lineItems[0].offer.id}`)
    for (const url of offer.body.images) {
      const image = await fetch(url)
      expect(image.status).toBe(200)
      expect(image.headers.get('content-type')).toMatch(/^image\//)
      expect(image.headers.get('access-control-allow-origin')).toBe('*')
      expect(await image.text()).toContain('<svg')
    }
    const [first, second] = await Promise.all(offer.body.images.slice(0, 2).map((url: string) => fetch(url).then((r) => r.text())))
    expect(first).not.toBe(second)
  })

  it('answers an unknown offer with 404', async () => {
    expectErrors(await sim.call('GET', '/sale/product-offers/123'), 404)
  })
})
