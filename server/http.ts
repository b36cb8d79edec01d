import { STATUS_CODES } from 'node:http'
import type { Duplex } from 'node:stream'
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify'
import { PROBLEM_TYPE, problem, type Problem } from '#core/problem.ts'
import { registerSecurityHeaders, securityHeaders } from './security-headers.ts'
import { errorEnvelope } from './simulator/errors.ts'

export const BODY_LIMIT = 1024 * 1024

/**
 * The HTTP server every part runs on. URLs the router itself rejects (a malformed escape, a path
 * parameter too long) get the same error body as the rest of that part: MALL's envelope under
 * `/mall`, problem+json elsewhere.
 */
export function createHttpServer(): FastifyInstance {
  const app = Fastify({
    logger: false,
    clientErrorHandler,
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
  registerSecurityHeaders(app)
  return app
}

/**
 * A request Node's parser refused before Fastify saw it (headers larger than Node takes, a
 * malformed request line): answered as problem+json like every other error, with the same
 * security headers, then the connection is closed.
 */
export function clientErrorHandler(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return
  let answer: Problem
  if (error.code === 'HPE_HEADER_OVERFLOW') {
    answer = problem(431, 'HEADERS_TOO_LARGE', 'The request headers are too large: send at most 16 KB of headers (a long cookie or token?).')
  } else if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    answer = problem(408, 'REQUEST_TIMEOUT', 'The request took too long to arrive: send it again.')
  } else {
    answer = problem(400, 'VALIDATION_FAILED', 'The request could not be read as HTTP: send it again.')
  }
  if (socket.writable) {
    const body = JSON.stringify(answer)
    const headers = { 'content-type': PROBLEM_TYPE, 'content-length': String(Buffer.byteLength(body)), connection: 'close', ...securityHeaders('/'), 'cache-control': 'no-store' }
    const head = Object.entries(headers)
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('')
    socket.write(`HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status] ?? 'Error'}\r\n${head}\r\n${body}`)
  }
  socket.destroy(error)
}
