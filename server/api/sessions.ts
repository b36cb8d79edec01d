import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { clientAddress } from '../store/sign-in-limits.ts'
import type { ApiDeps } from './deps.ts'
import { deviceId } from './device.ts'
import { sendProblem } from './problem.ts'
import { bearer } from './request.ts'

const signInBody = z.object({
  user: z.string().min(1).max(100),
  pin: z.string().min(1).max(64),
  device_id: z.string().regex(/^[\w.:-]{1,100}$/).optional(),
})

/** Signing in with a PIN (`/api/session`), seeing one's own session, and signing out. */
export function registerSessions(api: FastifyInstance, deps: Pick<ApiDeps, 'users'>): void {
  api.post('/session', async (request, reply) => {
    const parsed = signInBody.safeParse(request.body)
    if (!parsed.success) return sendProblem(reply, 422, 'VALIDATION_FAILED', 'Sign in with a user name and a PIN.')
    const result = await deps.users.signIn(parsed.data.user, parsed.data.pin, {
      deviceId: parsed.data.device_id ?? deviceId(request),
      address: clientAddress(request.ip),
    })
    if (!result.ok) {
      if (result.reason === 'locked') {
        const seconds = Math.max(1, Math.ceil((result.retryAfterMs ?? 60_000) / 1000))
        reply.header('retry-after', String(seconds))
        const wait = seconds < 90 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`
        return sendProblem(reply, 429, 'TOO_MANY_ATTEMPTS', `Too many wrong PINs: wait ${wait}, then try again, or ask the team lead.`, { retry_after_seconds: seconds })
      }
      return sendProblem(reply, 401, 'UNAUTHENTICATED', 'The user name or PIN is wrong: check both and try again.')
    }
    return { token: result.token, user: result.session.user, expires_at: result.session.expires_at }
  })
  api.get('/session', async (request) => ({ user: request.session?.user, expires_at: request.session?.expires_at }))
  api.delete('/session', async (request, reply) => {
    const token = bearer(request)
    if (token) deps.users.signOut(token)
    return reply.code(204).send()
  })
}
