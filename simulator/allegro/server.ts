import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify'
import { AllegroApiError, errorsBody } from './errors.ts'
import { ALLEGRO_MEDIA_TYPE } from './routes.ts'

/** What the simulated Allegro answers for a URL its router cannot read: Allegro's `{"errors":[…]}`. */
export function badAddressAnswer(message: string): { contentType: string; body: unknown } {
  return { contentType: ALLEGRO_MEDIA_TYPE, body: errorsBody(new AllegroApiError(400, 'VALIDATION_ERROR', message)) }
}

/**
 * The simulator's own HTTP server, when it runs apart from the station (`npm run simulator:allegro`,
 * the simulator's tests). In demo-allegro mode the station's server mounts it instead.
 */
export function createAllegroSimulatorServer(): FastifyInstance {
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
