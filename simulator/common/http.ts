import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'

/** What a simulated marketplace answers for a URL its router cannot read, in its own error shape. */
export type BadAddressAnswer = (message: string) => { contentType: string; body: unknown }

/**
 * A simulator's own HTTP server, when it runs apart from the station (`npm run simulator…`, the
 * simulators' tests). In demo mode the station's server mounts the simulator instead.
 */
export function createStandaloneServer(badAddressAnswer: BadAddressAnswer): FastifyInstance {
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

/** Whether a connection comes from this computer (127.0.0.0/8, ::1, or IPv4 through IPv6). */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false
  const v4 = address.replace(/^::ffff:/i, '')
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4) || address === '::1'
}

/** Where the simulator is reached from the caller's side, for the photo addresses it hands out. */
export function mediaBase(request: FastifyRequest, prefix: string): string {
  return `${request.protocol}://${request.host}${prefix}`
}

/** Sends a product photo (an SVG) as a marketplace's image server does. */
export function sendPhoto(reply: FastifyReply, svg: string): FastifyReply {
  return reply
    .type('image/svg+xml')
    .header('cache-control', 'public, max-age=86400')
    // Served with CORS so a service worker may cache it as a readable (not opaque) response.
    .header('access-control-allow-origin', '*')
    .send(svg)
}

/** What the hung-connection keeper needs of a simulator: its outage mode and news of a change. */
export interface OutageSource {
  onOutageChange(listener: (mode: string) => void): () => void
}

/**
 * The requests an outage of mode 'hang' holds open in `scope`: they never get an answer, and
 * their connections are dropped when the outage ends (or the server closes), as a dead uplink's would.
 */
export function hungRequests(sim: OutageSource, scope: FastifyInstance) {
  const hung = new Set<FastifyRequest>()
  const dropHung = () => {
    for (const request of hung) request.raw.socket?.destroy()
    hung.clear()
  }
  const unsubscribe = sim.onOutageChange((mode) => {
    if (mode !== 'hang') dropHung()
  })
  scope.addHook('preClose', async () => {
    unsubscribe()
    dropHung()
  })
  return {
    has: (request: FastifyRequest) => hung.has(request),
    /** Never answers: the connection is dropped when the outage ends. */
    hold(request: FastifyRequest): Promise<never> {
      hung.add(request)
      return new Promise<never>(() => {})
    },
  }
}

/**
 * Serves a simulator on its own (`npm run simulator…`) until SIGINT or SIGTERM, which close the
 * server and then the simulator; `banner` says where it answers, given the port it got.
 */
export async function serveAlone(
  app: FastifyInstance,
  simulator: { close(): Promise<void> },
  where: { port: number; host: string },
  banner: (port: string) => string,
): Promise<void> {
  const address = await app.listen({ port: where.port, host: where.host })
  console.log(banner(new URL(address).port))
  const stop = () => void app.close().then(() => simulator.close()).then(() => process.exit(0))
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}
