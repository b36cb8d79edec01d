import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify'
import { errorEnvelope } from './errors.ts'

/** What the simulated marketplace answers for a URL its router cannot read: MALL's error envelope. */
export function badAddressAnswer(message: string): { contentType: string; body: unknown } {
  return { contentType: 'application/json; charset=utf-8', body: errorEnvelope(400, 'BAD_REQUEST', message) }
}

/**
 * The simulator's own HTTP server, when it runs apart from the station (`npm run simulator`, the
 * simulator's tests). In demo mode the station's server mounts it instead.
 */
export function createSimulatorServer(): FastifyInstance {
  return Fastify({
    logger: false,
    bodyLimit: 1024 * 1024,
    // Closing drops every connection, hung ones too (outage mode 'hang').
    forceCloseConnections: true,
    frameworkErrors(error, _request, rawReply) {
      const answer = badAddressAnswer(`The address cannot be read: ${error.message}.`)
      void (rawReply as unknown as FastifyReply).code(400).type(answer.contentType).send(answer.body)
    },
  })
}
