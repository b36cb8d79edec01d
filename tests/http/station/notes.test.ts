import { describe, expect } from 'vitest'
import { test } from './fixtures.ts'
import { expectProblem, newOrder, pullAll, putsOf, stationOrder } from './helpers.ts'

/**
 * Notes on an order: kept on the station (MALL has none), with who and when, in every tablet's
 * pull; a retried note lands once; only its author or a lead changes it.
 */

describe('notes on an order', () => {
  test('added, edited and deleted, each with who and when, and pulled by the other tablets', async ({ running, token, lead }) => {
    const order = await newOrder(running, token)
    const { cursor } = await pullAll(running, lead, null)
    const path = `/api/orders/${order.id}/notes/note-aaaa-0001`
    const added = await running.api('PUT', path, { token, body: { text: 'Gift wrap, please' }, headers: { 'x-device-id': 'tablet-1' } })
    expect(added.status, added.text.slice(0, 300)).toBe(200)
    expect(added.body.notes).toEqual([
      expect.objectContaining({ id: 'note-aaaa-0001', text: 'Gift wrap, please', user: 'picker', device_id: 'tablet-1', updated_by: 'picker' }),
    ])
    // The same note sent again (a retry) lands once.
    const again = await running.api('PUT', path, { token, body: { text: 'Gift wrap, please' } })
    expect(again.body.notes).toHaveLength(1)
    expect(again.body.notes[0].updated_at).toBe(added.body.notes[0].updated_at)

    // Another tablet's next pull has it.
    const delta = await pullAll(running, lead, cursor)
    expect(delta.orders.find((o) => o.id === order.id)?.notes).toEqual(added.body.notes)

    const edited = await running.api('PUT', path, { token: lead, body: { text: 'Gift wrap, red paper' } })
    expect(edited.body.notes[0]).toMatchObject({ text: 'Gift wrap, red paper', user: 'picker', updated_by: 'lead' })
    const deleted = await running.api('DELETE', path, { token })
    expect(deleted.status).toBe(200)
    expect(deleted.body.notes).toEqual([])
    expect((await running.api('DELETE', path, { token })).status, 'deleting again changes nothing').toBe(200)

    const history = (await stationOrder(running, token, order.id)).history.map((entry) => [entry.action, entry.user])
    expect(history).toEqual(expect.arrayContaining([['note', 'picker'], ['note_edited', 'lead'], ['note_deleted', 'picker']]))
    expect(await putsOf(running, order.id), 'notes never go to the marketplace').toEqual([])
  })

  test('only its author or a lead changes a note; an empty note is refused', async ({ running, token, lead }) => {
    const order = await newOrder(running, token)
    const path = `/api/orders/${order.id}/notes/note-bbbb-0002`
    expect((await running.api('PUT', path, { token: lead, body: { text: 'Call the customer first' } })).status).toBe(200)
    const refused = await running.api('PUT', path, { token, body: { text: 'Done' } })
    expect(expectProblem(refused, 403, 'FORBIDDEN').detail).toBe('Only lead, who wrote the note, or a team lead can change it.')
    expect(refused.body.order.notes.map((note: { text: string }) => note.text), 'the refusal says what the notes are').toEqual(['Call the customer first'])
    expectProblem(await running.api('DELETE', path, { token }), 403, 'FORBIDDEN')
    expectProblem(await running.api('PUT', `/api/orders/${order.id}/notes/note-cccc-0003`, { token, body: { text: '  ' } }), 422, 'VALIDATION_FAILED')
  })
})
