import type { FastifyReply } from 'fastify'
import { PROBLEM_TYPE, problem } from '#core/problem.ts'

/** Answers with a station API error as `application/problem+json` (RFC 9457). */
export function sendProblem(reply: FastifyReply, status: number, code: string, detail: string, extra: Record<string, unknown> = {}) {
  return reply.code(status).type(PROBLEM_TYPE).send(problem(status, code, detail, extra))
}
