import { describe, expect } from 'vitest'
import { getReady, goOffline, goOnline, openOrder, waitForText } from './support/browser.ts'
import { test } from './support/fixtures.ts'
import { newOrder, stationOrder } from './support/station.ts'

/**
 * A note on an order written while the Wi-Fi is down waits on the tablet, goes once the station
 * answers again, and shows on another tablet's pack screen, with who wrote it.
 */

describe('notes on an order', () => {
  test('a note written offline reaches another tablet’s pack screen', async ({ station, openTablet }) => {
    const id = await newOrder(station)
    const writer = await getReady(await openTablet(), [id])
    const packer = await getReady(await openTablet(), [id])

    await goOffline(writer, writer.page)
    await openOrder(writer.page, id)
    await writer.page.getByLabel('New note').fill('Fragile: pack the lamp in two boxes')
    await writer.page.getByRole('button', { name: 'Add note' }).click()
    await writer.page.getByTestId('order-note').filter({ hasText: 'Fragile: pack the lamp in two boxes' }).waitFor()
    await waitForText(writer.page, 'waiting-count', '1 change waiting')
    expect((await stationOrder(station, id)).order.notes).toEqual([])

    await goOnline(writer, writer.page)
    await expect.poll(async () => ((await stationOrder(station, id)).order.notes as { text: string }[]).map((note) => note.text), { timeout: 15_000 }).toEqual([
      'Fragile: pack the lamp in two boxes',
    ])

    // The order's page: the customer, the money and the history, the note in it with who and where.
    await openOrder(writer.page, id)
    const view = await stationOrder(station, id)
    const customer = view.order.address as { email: string; phone: string }
    await writer.page.getByRole('link', { name: customer.email }).waitFor()
    await writer.page.getByRole('link', { name: customer.phone }).waitFor()
    await writer.page.getByRole('row', { name: /^Total/ }).waitFor()
    await writer.page.getByRole('button', { name: 'Show the history' }).click()
    await writer.page
      .getByTestId('order-history')
      .getByText(/Note added: “Fragile: pack the lamp in two boxes” — picker on tablet-\w+ \(kept on the station\)/)
      .waitFor()

    await packer.page.goto(`/orders/${id}/pack`)
    await packer.page.getByRole('heading', { name: `Packing ${id}` }).waitFor()
    const note = packer.page.getByTestId('order-note').filter({ hasText: 'Fragile: pack the lamp in two boxes' })
    await note.waitFor({ timeout: 20_000 })
    await expect(note.textContent()).resolves.toMatch(/picker, \d{4}-\d{2}-\d{2} \d{2}:\d{2}/)
  })
})
