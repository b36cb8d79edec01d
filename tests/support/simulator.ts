import { mkdtempSync, rmSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { MarketplaceSimulator, type SimulatorOptions } from '../../simulator/mall/marketplace.ts'
import { registerMarketplaceSimulator } from '../../simulator/mall/routes.ts'
import { createSimulatorServer } from '../../simulator/mall/server.ts'

export interface CallOptions {
  body?: unknown
  /** Sent as the body byte for byte, for malformed or oversized bodies. */
  rawBody?: string | Uint8Array
  query?: Record<string, string | number | boolean | readonly (string | number)[]>
  /** The client_id to send; null sends none. Defaults to the simulator's own. */
  clientId?: string | null
  headers?: Record<string, string>
  signal?: AbortSignal
}

export interface CallResult {
  status: number
  headers: Headers
  /** The parsed JSON body, or null when the body is not JSON. */
  body: any // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read whatever the API sent
  text: string
}

export interface RunningSimulator {
  /** `http://127.0.0.1:PORT` */
  origin: string
  /** `http://127.0.0.1:PORT/mall`: the simulator's prefix, as on the station's port. */
  base: string
  clientId: string
  dataDir: string
  sim: MarketplaceSimulator
  /** Calls `base + path` (path like `/v1/orders`), adding `client_id` unless told otherwise. */
  call(method: string, path: string, options?: CallOptions): Promise<CallResult>
  /** Stops the server; the data folder is removed unless it was given by the caller. */
  close(): Promise<void>
}

/**
 * Starts the marketplace simulator on a real loopback socket with a fresh data folder (or the
 * given one, to test persistence), activity off unless asked for.
 */
export async function startSimulator(options: Partial<SimulatorOptions> = {}): Promise<RunningSimulator> {
  const ownDir = options.dataDir === undefined
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'mall-sim-'))
  const sim = new MarketplaceSimulator({ activity: false, warn: () => {}, ...options, dataDir })
  // Closing drops every connection: a client that gave up on a hung request (outage mode 'hang')
  // can leave a socket open that would otherwise hold close() until the client's keep-alive ends.
  const app = createSimulatorServer()
  await registerMarketplaceSimulator(app, sim, '/mall')
  const address = await app.listen({ port: 0, host: '127.0.0.1' })
  const origin = address.replace('localhost', '127.0.0.1')
  const base = `${origin}/mall`
  const clientId = sim.options.clientId

  async function call(method: string, path: string, callOptions: CallOptions = {}): Promise<CallResult> {
    const url = new URL(base + path)
    const id = callOptions.clientId === undefined ? clientId : callOptions.clientId
    if (id !== null) url.searchParams.set('client_id', id)
    for (const [key, value] of Object.entries(callOptions.query ?? {})) {
      if (Array.isArray(value)) for (const v of value) url.searchParams.append(key, String(v))
      else url.searchParams.set(key, String(value))
    }
    const headers: Record<string, string> = { ...callOptions.headers }
    let body: string | Uint8Array | undefined
    if (callOptions.rawBody !== undefined) body = callOptions.rawBody
    else if (callOptions.body !== undefined) body = JSON.stringify(callOptions.body)
    if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
      headers['content-type'] = 'application/json'
    }
    // fetch refuses a body on GET, but MALL's PHP client sends one (`[]`): go through node:http then.
    const { status, headers: responseHeaders, text } =
      body !== undefined && (method === 'GET' || method === 'HEAD')
        ? await requestWithBody(url, method, headers, body, callOptions.signal)
        : await fetch(url, { method, headers, body, signal: callOptions.signal }).then(async (response) => ({
            status: response.status,
            headers: response.headers,
            text: await response.text(),
          }))
    let parsed: unknown = null
    try {
      parsed = JSON.parse(text)
    } catch {
      parsed = null
    }
    return { status, headers: responseHeaders, body: parsed, text }
  }

  return {
    origin,
    base,
    clientId,
    dataDir,
    sim,
    call,
    async close() {
      await app.close()
      await sim.close()
      if (ownDir) rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** One request over node:http, for what fetch will not send (a GET with a body). */
function requestWithBody(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: string | Uint8Array,
  signal?: AbortSignal,
): Promise<{ status: number; headers: Headers; text: string }> {
  return new Promise((resolve, reject) => {
    // Node sends a GET body neither chunked nor sized unless told its length.
    const sized = { ...headers, 'content-length': String(Buffer.byteLength(body)) }
    const request = httpRequest(url, { method, headers: sized, signal }, (response) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('error', reject)
      response.on('end', () => {
        const responseHeaders = new Headers()
        for (const [name, value] of Object.entries(response.headers)) {
          if (value !== undefined) responseHeaders.set(name, Array.isArray(value) ? value.join(', ') : value)
        }
        resolve({ status: response.statusCode ?? 0, headers: responseHeaders, text: Buffer.concat(chunks).toString('utf8') })
      })
    })
    request.on('error', reject)
    request.end(body)
  })
}
