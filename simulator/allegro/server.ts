import type { FastifyInstance } from 'fastify'
import { createStandaloneServer } from '../common/http.ts'
import { AllegroApiError, errorsBody } from './errors.ts'
import { ALLEGRO_MEDIA_TYPE } from './routes.ts'

/** What the simulated Allegro answers for a URL its router cannot read: Allegro's `{"errors":[…]}`. */
export function badAddressAnswer(message: string): { contentType: string; body: unknown } {
  return { contentType: ALLEGRO_MEDIA_TYPE, body: errorsBody(new AllegroApiError(400, 'VALIDATION_ERROR', message)) }
}

/** The Allegro simulator's own HTTP server (`npm run simulator:allegro`, its tests): see common/http.ts. */
export function createAllegroSimulatorServer(): FastifyInstance {
  return createStandaloneServer(badAddressAnswer)
}
