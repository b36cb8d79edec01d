import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { MAX_NOTE_LENGTH } from '#core/station-api.ts'
import type { NoteAnswer, NoteAuthor, Notes } from '../orders/notes.ts'
import type { Session } from '../store/users.ts'
import type { ApiDeps } from './deps.ts'
import { deviceId } from './device.ts'
import { sendProblem } from './problem.ts'
import { findOrder, findOrderWithBody } from './request.ts'

const NOTE_ID = /^[\w.:-]{8,100}$/
const noteBody = z.object({ text: z.string().trim().min(1).max(MAX_NOTE_LENGTH) }).strict()

function author(request: FastifyRequest): NoteAuthor {
  const session = request.session as Session
  return { user: session.user.name, role: session.user.role === 'lead' ? 'lead' : 'picker', device_id: deviceId(request) }
}

/** The note's id from the path, or null once a 422 saying how it must look has been sent. */
function noteId(request: FastifyRequest, reply: FastifyReply): string | null {
  const id = (request.params as { noteId?: string }).noteId ?? ''
  if (NOTE_ID.test(id)) return id
  void sendProblem(reply, 422, 'VALIDATION_FAILED', 'A note’s id is 8–100 letters, digits, - _ . : made once by the tablet that wrote it.')
  return null
}

function answer(reply: FastifyReply, result: NoteAnswer) {
  // The order comes with the refusal, so the tablet shows the notes as they are.
  if ('forbidden' in result) return sendProblem(reply, 403, 'FORBIDDEN', result.forbidden, { order: result.order })
  return result.order
}

/** Notes on an order (`PUT`/`DELETE /api/orders/:id/notes/:noteId`): add or edit, and delete. */
export function registerNotes(api: FastifyInstance, deps: Pick<ApiDeps, 'orders' | 'events'> & { notes: Notes }): void {
  api.put('/orders/:id/notes/:noteId', async (request, reply) => {
    const id = noteId(request, reply)
    if (id === null) return reply
    const found = findOrderWithBody(deps.orders, request, reply, noteBody, `Send {"text": "…"}: the note, 1 to ${MAX_NOTE_LENGTH} characters.`)
    if (!found) return reply
    const result = deps.notes.put(found.row, id, found.body.text, author(request))
    deps.events.notify('orders')
    return answer(reply, result)
  })

  api.delete('/orders/:id/notes/:noteId', async (request, reply) => {
    const id = noteId(request, reply)
    if (id === null) return reply
    const found = findOrder(deps.orders, request, reply)
    if (!found) return reply
    const result = deps.notes.delete(found.row, id, author(request))
    deps.events.notify('orders')
    return answer(reply, result)
  })
}
