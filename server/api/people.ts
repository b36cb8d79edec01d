import type { FastifyInstance } from 'fastify'
import type { ApiDeps } from './deps.ts'
import { deviceId } from './device.ts'
import { sendProblem } from './problem.ts'

/**
 * Who is signed in where (`/api/sessions`, `/api/devices/:deviceId`): leads see it and end a lost
 * tablet's sessions. A revoked tablet keeps its waiting changes and asks for a sign-in (its next
 * call is 401).
 */
export function registerPeople(api: FastifyInstance, deps: Pick<ApiDeps, 'users' | 'audit'>): void {
  api.get('/sessions', async (request) => ({
    sessions: deps.users.sessions().map((session) => ({ ...session, current: session.id === request.session?.id })),
  }))
  api.delete('/sessions/:id', async (request, reply) => {
    const id = (request.params as { id?: string }).id ?? ''
    if (!deps.users.revokeSession(id)) return sendProblem(reply, 404, 'NOT_FOUND', `There is no session ${id}: it has ended already.`)
    deps.audit.record({ order_id: null, actor: 'user', user: request.session?.user.name ?? null, device_id: deviceId(request), action: 'session_revoked', details: { session_id: id }, marketplace_state: 'not_needed' })
    return reply.code(204).send()
  })
  api.delete('/devices/:deviceId', async (request, reply) => {
    const device = (request.params as { deviceId?: string }).deviceId ?? ''
    const ended = deps.users.revokeDevice(device)
    if (ended === null) return sendProblem(reply, 404, 'NOT_FOUND', `No one is signed in on device ${device}.`)
    deps.audit.record({ order_id: null, actor: 'user', user: request.session?.user.name ?? null, device_id: deviceId(request), action: 'device_revoked', details: { device_id: device, sessions: ended }, marketplace_state: 'not_needed' })
    return { device_id: device, sessions_ended: ended }
  })
}
