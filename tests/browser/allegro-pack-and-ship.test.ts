import { describe, expect } from 'vitest'
import { getReady, launchBrowser, openOrder, startPacking, waitForText } from './support/browser.ts'
import { test } from './support/fixtures.ts'
import { eventually, startDemoStation } from './support/station.ts'

/**
 * A Czech Allegro order on the tablet, against the station and the Allegro simulator
 * (MARKETPLACE=demo-allegro): packed by scanning its EAN, handed to the warehouse's own carrier
 * with a tracking number, and what Allegro received for it.
 */

interface LogEntry {
  method: string
  path: string
  body: Record<string, unknown> | null
  status: number | null
}

/** The fixtures' browser and tablets, with a station working the simulated Allegro. */
const it = test.extend({
  lab: [
    async ({}, use) => {
      const [browser, station] = await Promise.all([launchBrowser(), startDemoStation({ MARKETPLACE: 'demo-allegro' })])
      await use({ browser, station })
      await browser.close()
      await station.running.close()
    },
    { scope: 'file' },
  ],
})

describe('an Allegro order on the tablet', () => {
  it('a Czech order is packed by its EAN and shipped with PPL: PROCESSING, READY_FOR_SHIPMENT, one waybill, SENT', async ({ station, openTablet }) => {
    const { running, token } = station
    const methods = (await running.allegro('GET', '/_sim/delivery-methods')).body.deliveryMethods as { id: string; name: string }[]
    const ppl = methods.find((m) => m.name === 'PPL kurýr')
    const offer = ((await running.allegro('GET', '/_sim/offers')).body.offers as { id: string; sku: string; ean: string }[])[0]!
    const created = await running.allegro('POST', '/_sim/orders', { marketplace: 'allegro-cz', deliveryMethodId: ppl?.id, lines: [{ offerId: offer.id, quantity: 1 }] })
    expect(created.status).toBe(201)
    const formId = created.body.id as string
    const id = await eventually(async () => {
      const orders = (await running.api('GET', '/api/orders?limit=5000', { token })).body.orders as { id: number; external_id: string }[]
      return orders.find((o) => o.external_id === formId)?.id
    }, 15_000)
    // The catalogue has the offer's EAN before the tablet pulls it.
    await eventually(async () => ((await running.api('GET', '/api/products?limit=5000', { token })).body.products as { sku: string }[]).some((p) => p.sku === offer.sku), 15_000)

    const { page } = await getReady(await openTablet(), [id])
    await openOrder(page, id)
    await page.getByTestId('delivery-method').filter({ hasText: 'Own carrier · PPL kurýr' }).waitFor()
    await startPacking(page, id)

    const form = page.getByRole('form', { name: 'Hand over to the carrier' })
    await form.getByLabel('Carrier').selectOption({ label: 'PPL' })
    await form.getByLabel('Tracking number').fill('40012345678')
    await form.getByRole('button', { name: 'Mark shipped' }).click()
    await waitForText(page, 'order-status', 'shipped')
    // Delivered and returned are Allegro's: the tablet says so instead of offering them.
    await page.getByRole('note').filter({ hasText: 'Allegro sets them' }).waitFor()
    expect(await page.getByRole('button', { name: 'Mark delivered' }).count()).toBe(0)

    const writes = await eventually(async () => {
      const log = (await running.allegro('GET', '/_sim/log')).body.entries as LogEntry[]
      const mine = log.filter((e) => e.path.includes(formId) && e.status !== null && e.status < 300)
      return mine.some((e) => e.body?.status === 'SENT') ? mine : null
    }, 20_000)
    expect(writes.map((e) => (e.path.endsWith('/shipments') ? `waybill ${String(e.body?.carrierId)} ${String(e.body?.waybill)}` : String(e.body?.status)))).toEqual([
      'PROCESSING',
      'READY_FOR_SHIPMENT',
      'waybill PPL 40012345678',
      'SENT',
    ])
  })
})

