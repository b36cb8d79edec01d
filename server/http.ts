import { STATUS_CODES } from 'node:http'
import type { Duplex } from 'node:stream'
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify'
import { PROBLEM_TYPE, problem, type Problem } from '#core/problem.ts'
import { registerSecurityHeaders, securityHeaders } from './security-headers.ts'

export const BODY_LIMIT = 1024 * 1024

/** How a part mounted beside the station (the demo marketplace) answers a URL the router rejects. */
export interface MountedErrors {
  /** The part's path prefix, such as `/mall/`. */
  prefix: string
  answer: (message: string) => { contentType: string; body: unknown }
}

/**
 * The station's HTTP server. URLs the router itself rejects (a malformed escape, a path parameter
 * too long) get the same error body as the rest of that part: problem+json for the station, the
 * mounted part's own body under its prefix (the wiring passes the demo marketplace's).
 */
export function createHttpServer(options: { mounted?: readonly MountedErrors[] } = {}): FastifyInstance {
  const app = Fastify({
    logger: false,
    clientErrorHandler,
    bodyLimit: BODY_LIMIT,
    // Tests and restarts must not wait on connections a tablet left open.
    forceCloseConnections: true,
    frameworkErrors(error, request, rawReply) {
      const reply = rawReply as unknown as FastifyReply
      const message = `The address cannot be read: ${error.message}.`
      const mounted = options.mounted?.find((part) => request.url.startsWith(part.prefix))
      if (mounted) {
        const answer = mounted.answer(message)
        void reply.code(400).type(answer.contentType).send(answer.body)
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
