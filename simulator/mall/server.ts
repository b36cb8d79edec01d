import type { FastifyInstance } from 'fastify'
import { createStandaloneServer } from '../common/http.ts'
import { errorEnvelope } from './errors.ts'

/** What the simulated marketplace answers for a URL its router cannot read: MALL's error envelope. */
export function badAddressAnswer(message: string): { contentType: string; body: unknown } {
  return { contentType: 'application/json; charset=utf-8', body: errorEnvelope(400, 'BAD_REQUEST', message) }
}

/** The MALL simulator's own HTTP server (`npm run simulator`, its tests): see common/http.ts. */
export function createSimulatorServer(): FastifyInstance {
  return createStandaloneServer(badAddressAnswer)
}
