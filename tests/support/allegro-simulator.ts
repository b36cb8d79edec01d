import { expect } from 'vitest'
import { AllegroSimulator, type AllegroSimulatorOptions } from '../../simulator/allegro/marketplace.ts'
import { registerAllegroSimulator } from '../../simulator/allegro/routes.ts'
import { createAllegroSimulatorServer } from '../../simulator/allegro/server.ts'
import { checkResponse } from './allegro-openapi.ts'

export const ALLEGRO_JSON = 'application/vnd.allegro.public.v1+json'

export interface AllegroCallOptions {
  query?: Record<string, string | number | readonly (string | number)[]>
  body?: unknown
  /** Sent as the body byte for byte. */
  rawBody?: string
  /** The body's Content-Type; Allegro's media type unless told. */
  contentType?: string
  /** The Accept header; Allegro's media type unless told; null sends none. */
  accept?: string | null
  /** The bearer token; the one the helper holds unless told; null sends none. */
  token?: string | null
  headers?: Record<string, string>
}

export interface AllegroCallResult {
  status: number
  headers: Headers
  /** The parsed JSON body, or null when the body is not JSON. */
  body: any // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read whatever the API sent
  text: string
  bytes: Uint8Array
  /** The OpenAPI response the answer was validated against, or null when the document has none. */
  schema: string | null
}

export interface RunningAllegro {
  origin: string
  /** `http://127.0.0.1:PORT/allegro`: API, OAuth and control API all live under it. */
  base: string
  sim: AllegroSimulator
  /** A valid access token, made through the control API. */
  token: string
  /** Moves the simulator's clock forward (it keeps running from there). */
  advance(ms: number): void
  /** Calls the REST API (`path` like `/order/checkout-forms`); every JSON answer is checked against the OpenAPI document. */
  call(method: string, path: string, options?: AllegroCallOptions): Promise<AllegroCallResult>
  /** Calls the control API (`path` like `/_sim/orders`) with plain JSON. */
  control(method: string, path: string, body?: unknown): Promise<AllegroCallResult>
  /** Calls the OAuth server (`path` like `/auth/oauth/token`) with a form body and HTTP Basic. */
  oauth(path: string, params: Record<string, string>, basic?: string | null): Promise<AllegroCallResult>
  close(): Promise<void>
}

async function read(response: Response): Promise<Omit<AllegroCallResult, 'schema'>> {
  const bytes = new Uint8Array(await response.arrayBuffer())
  const text = new TextDecoder().decode(bytes)
  let body: unknown = null
  try {
    body = JSON.parse(text)
  } catch {
    body = null
  }
  return { status: response.status, headers: response.headers, body, text, bytes }
}

/** Starts the Allegro simulator on a loopback socket, in memory, with a clock tests can move. */
export async function startAllegroSimulator(options: Partial<AllegroSimulatorOptions> = {}): Promise<RunningAllegro> {
  let offset = 0
  const sim = new AllegroSimulator({ warn: () => {}, commandDelayMs: 0, clock: () => Date.now() + offset, ...options })
  const app = createAllegroSimulatorServer()
  await registerAllegroSimulator(app, sim, '/allegro')
  const address = await app.listen({ port: 0, host: '127.0.0.1' })
  const origin = address.replace('localhost', '127.0.0.1')
  const base = `${origin}/allegro`
  const running: RunningAllegro = {
    origin,
    base,
    sim,
    token: sim.issueTokens().access_token,
    advance(ms) {
      offset += ms
    },
    async call(method, path, callOptions = {}) {
      const url = new URL(base + path)
      for (const [key, value] of Object.entries(callOptions.query ?? {})) {
        if (Array.isArray(value)) for (const v of value) url.searchParams.append(key, String(v))
        else url.searchParams.set(key, String(value))
      }
      const headers: Record<string, string> = { ...callOptions.headers }
      const accept = callOptions.accept === undefined ? ALLEGRO_JSON : callOptions.accept
      if (accept !== null) headers.accept = accept
      const token = callOptions.token === undefined ? running.token : callOptions.token
      if (token !== null) headers.authorization = `Bearer ${token}`
      const body = callOptions.rawBody ?? (callOptions.body === undefined ? undefined : JSON.stringify(callOptions.body))
      if (body !== undefined) headers['content-type'] = callOptions.contentType ?? ALLEGRO_JSON
      const result = await read(await fetch(url, { method, headers, body }))
      const check = result.body === null ? { schema: null, errors: [] } : checkResponse(method, path.split('?')[0] as string, result.status, result.body)
      expect(check.errors, `${method} ${path} ${result.status} does not match the OpenAPI document (${check.schema}): ${result.text.slice(0, 400)}`).toEqual([])
      return { ...result, schema: check.schema }
    },
    async control(method, path, body) {
      const response = await fetch(base + path, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      return { ...(await read(response)), schema: null }
    },
    async oauth(path, params, basic) {
      const credentials = basic === undefined ? `${sim.options.clientId}:${sim.options.clientSecret}` : basic
      const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' }
      if (credentials !== null) headers.authorization = `Basic ${Buffer.from(credentials).toString('base64')}`
      const response = await fetch(base + path, { method: 'POST', headers, body: new URLSearchParams(params).toString() })
      return { ...(await read(response)), schema: null }
    },
    async close() {
      await app.close()
      await sim.close()
    },
  }
  return running
}
