import type { FastifyInstance, FastifyReply } from 'fastify'
import { securityHeaders } from '../security-headers.ts'

/**
 * Server-sent events to tablets: a hint to pull, never the data itself (the pull is the one way
 * orders reach a tablet, so a missed event costs only a delay). Bursts are coalesced.
 */
export class EventHub {
  private readonly clients = new Set<FastifyReply>()
  private pending = new Set<string>()
  private timer: NodeJS.Timeout | undefined
  private closed = false
  private readonly heartbeat: NodeJS.Timeout

  constructor(
    private readonly cursors: { orders: () => number; products: () => number },
    private readonly coalesceMs = 50,
  ) {
    // An event every 20 s keeps proxies and the tablet's connection from timing out, and tells the
    // tablet the station is still there (a comment would not reach its EventSource).
    this.heartbeat = setInterval(() => this.write('event: ping\ndata: {}\n\n'), 20_000)
    this.heartbeat.unref()
  }

  get size(): number {
    return this.clients.size
  }

  add(reply: FastifyReply): void {
    reply.hijack()
    // Hijacked: Fastify's hooks do not run, so the security headers are written here.
    reply.raw.writeHead(200, {
      ...securityHeaders('/api/events'),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    })
    reply.raw.write(`retry: 3000\nevent: hello\ndata: ${JSON.stringify({ orders: String(this.cursors.orders()), products: String(this.cursors.products()) })}\n\n`)
    this.clients.add(reply)
    reply.raw.on('close', () => this.clients.delete(reply))
  }

  /** Tell tablets that something of this kind changed. */
  notify(kind: 'orders' | 'products'): void {
    // Work still finishing during shutdown must not schedule a read of the closed database.
    if (this.closed) return
    this.pending.add(kind)
    if (this.timer) return
    this.timer = setTimeout(() => {
      this.timer = undefined
      const kinds = this.pending
      this.pending = new Set()
      for (const k of kinds) {
        const cursor = k === 'orders' ? this.cursors.orders() : this.cursors.products()
        this.write(`event: ${k}\ndata: ${JSON.stringify({ cursor: String(cursor) })}\n\n`)
      }
    }, this.coalesceMs)
  }

  private write(chunk: string): void {
    for (const reply of this.clients) reply.raw.write(chunk)
  }

  close(): void {
    this.closed = true
    clearInterval(this.heartbeat)
    clearTimeout(this.timer)
    for (const reply of this.clients) reply.raw.end()
    this.clients.clear()
  }
}

/** The event stream (`GET /api/events`): EventSource sends the token as `?access_token=`. */
export function registerEvents(api: FastifyInstance, deps: { events: EventHub }): void {
  api.get('/events', async (_request, reply) => {
    deps.events.add(reply)
  })
}
