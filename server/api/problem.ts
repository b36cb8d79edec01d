import type { FastifyReply } from 'fastify'
import { PROBLEM_TYPE, problem, type Problem } from '#core/problem.ts'

/** Answers with a station API error as `application/problem+json` (RFC 9457). */
export function sendProblem(reply: FastifyReply, status: number, code: string, detail: string, extra: Record<string, unknown> = {}) {
  return reply.code(status).type(PROBLEM_TYPE).send(problem(status, code, detail, extra))
}

/** Answers with a problem a service decided on. */
export function replyProblem(reply: FastifyReply, answer: Problem) {
  return reply.code(answer.status).type(PROBLEM_TYPE).send(answer)
}
