import { describe, expect } from 'vitest'
import { getReady, goOffline, signIn, startPacking, waitForServiceWorker, waitForText } from './support/browser.ts'
import { test as it } from './support/fixtures.ts'
import { newOrder, statusHistory, waitForAppliedPuts } from './support/station.ts'

/**
 * A team lead sees who is signed in on which tablet and signs a lost tablet out. The tablet keeps
 * the changes waiting on it, asks for a PIN, and sends them once someone signs in again.
 */

describe('signed-in devices', () => {
  it('a lead signs a tablet out; it keeps its waiting change, asks for a PIN, then sends it once', async ({ station, openTablet }) => {
    const id = await newOrder(station)
    const packer = await openTablet()
    await getReady(packer, [id])
    // The packer's Wi-Fi drops; the packing waits on the tablet.
    await goOffline(packer, packer.page)
    await startPacking(packer.page, id)
    await waitForText(packer.page, 'waiting-count', '2 changes waiting')

    // Meanwhile the lead, on the desk PC, signs that tablet out.
    const lead = await openTablet()
    await signIn(lead.page, 'lead')
    await waitForServiceWorker(lead.page)
    await lead.page.goto('/settings')
    await lead.page.getByRole('link', { name: 'Signed-in devices…' }).click()
    await lead.page.getByRole('heading', { name: 'Signed-in devices' }).waitFor()
    const row = lead.page.getByRole('row').filter({ hasText: 'Demo picker' })
    await row.first().waitFor()
    const device = (await row.first().locator('td').nth(1).textContent())?.trim() ?? ''
    expect(device).not.toBe('—')
    lead.page.once('dialog', (dialog) => void dialog.accept())
    await row.first().getByRole('button', { name: `Sign out the device ${device}` }).click()
    await lead.page.getByRole('status').filter({ hasText: `Signed out every sign-in on ${device}.` }).waitFor()
    await expect.poll(() => lead.page.getByRole('row').filter({ hasText: device }).count()).toBe(0)

    // The Wi-Fi is back: the station refuses the old token; the tablet asks for a PIN and keeps the change.
    await packer.context.setOffline(false)
    await packer.page.getByRole('alert').filter({ hasText: 'Your session ended' }).waitFor({ timeout: 30_000 })
    expect(await statusHistory(station, id)).toEqual([])
    await packer.page.getByLabel('User').fill('picker')
    await packer.page.getByLabel('PIN').fill('1111')
    await packer.page.getByRole('button', { name: 'Sign in' }).click()
    await waitForText(packer.page, 'waiting-count', 'All changes synced', 30_000)
    const applied = await waitForAppliedPuts(station, id, 1)
    expect(applied.map((put) => put.body)).toEqual([{ status: 'shipping', confirmed: true }])
    expect(await statusHistory(station, id)).toHaveLength(1)
  })
})
