import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify'
import { PROBLEM_TYPE, problem } from './api/problem.ts'
import { errorEnvelope } from './simulator/errors.ts'

export const BODY_LIMIT = 1024 * 1024

/**
 * The HTTP server every part runs on. URLs the router itself rejects (a malformed escape, a path
 * parameter too long) get the same error body as the rest of that part: MALL's envelope under
 * `/mall`, problem+json elsewhere.
 */
export function createHttpServer(): FastifyInstance {
  return Fastify({
    logger: false,
    bodyLimit: BODY_LIMIT,
    // Tests and restarts must not wait on connections a tablet left open.
    forceCloseConnections: true,
    frameworkErrors(error, request, rawReply) {
      const reply = rawReply as unknown as FastifyReply
      const message = `The address cannot be read: ${error.message}.`
      if (request.url.startsWith('/mall/')) {
        void reply.code(400).type('application/json; charset=utf-8').send(errorEnvelope(400, 'BAD_REQUEST', message))
      } else {
        void reply.code(400).type(PROBLEM_TYPE).send(problem(400, 'VALIDATION_FAILED', message))
      }
    },
  })
}
