import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createStation, type Station, type StationOptions } from '../../server/app.ts'
import { loadConfig } from '../../server/config.ts'

export interface ApiCall {
  token?: string | null
  body?: unknown
  rawBody?: string
  headers?: Record<string, string>
  signal?: AbortSignal
}

export interface ApiResult {
  status: number
  headers: Headers
  body: any // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read whatever the API sent
  text: string
}

export interface RunningStation {
  /** `http://127.0.0.1:PORT`: plain HTTP, which serves the whole station to loopback clients. */
  origin: string
  /** `https://127.0.0.1:PORT`: the same station over HTTPS, with the certificate of its own CA (in `DATA_DIR/tls`). */
  httpsOrigin: string
  station: Station
  dataDir: string
  /** Calls the station, e.g. `api('GET', '/api/orders')`; JSON in, JSON out. */
  api(method: string, path: string, call?: ApiCall): Promise<ApiResult>
  /** Signs in and returns the bearer token (demo users: picker/1111, lead/2222). */
  signIn(user?: string, pin?: string, deviceId?: string): Promise<string>
  /** Calls the simulated marketplace on the same port, e.g. `mall('GET', '/v1/orders/123')` or `mall('POST', '/_sim/outage', {mode: '503'})`. */
  mall(method: string, path: string, body?: unknown): Promise<ApiResult>
  /** Calls the simulated Allegro's control API on the same port (MARKETPLACE=demo-allegro), e.g. `allegro('POST', '/_sim/orders', {…})`. */
  allegro(method: string, path: string, body?: unknown): Promise<ApiResult>
  /** Stops the station (keeping its data folder). */
  stop(): Promise<void>
  /** Starts a new station on the same data folder and port, as after a restart. */
  restart(): Promise<RunningStation>
  /** Stops and removes the data folder unless the caller gave it. */
  close(): Promise<void>
}

export interface StartStationOptions extends StationOptions {
  dataDir?: string
  port?: number
  /** Environment settings, as `npm start` reads them (POLL_INTERVAL_MS, SIM_ACTIVITY…). */
  env?: Record<string, string>
}

/** The body read as JSON, or null when it is not JSON. */
export function jsonOrNull(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}

async function request(origin: string, method: string, path: string, call: ApiCall = {}): Promise<ApiResult> {
  const headers: Record<string, string> = { ...call.headers }
  if (call.token) headers.authorization = `Bearer ${call.token}`
  let body: string | undefined
  if (call.rawBody !== undefined) body = call.rawBody
  else if (call.body !== undefined) body = JSON.stringify(call.body)
  if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json'
  const response = await fetch(origin + path, { method, headers, body, signal: call.signal })
  const text = await response.text()
  return { status: response.status, headers: response.headers, body: jsonOrNull(text), text }
}

/**
 * Starts the whole demo station (station API, connector, outbox and the simulator at `/mall`) on a
 * loopback port with a fresh data folder. The simulator's own activity is off and polling is fast
 * unless the options say otherwise.
 */
export async function startStation(options: StartStationOptions = {}): Promise<RunningStation> {
  const ownDir = options.dataDir === undefined
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'station-'))
  const config = loadConfig({
    PORT: String(options.port ?? 0),
    HTTPS_PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    MARKETPLACE: 'demo',
    SIM_ACTIVITY: 'off',
    POLL_INTERVAL_MS: '500',
    SIM_WEBHOOK_INTERVAL_MS: '200',
    ...options.env,
  })
  const station = await createStation(config, {
    logLine: null,
    warn: () => {},
    distDir: join(dataDir, 'no-dist'),
    backoff: { baseDelayMs: 50, maxDelayMs: 500 },
    marketplaceTimeoutMs: 1500,
    ...options,
  })
  const address = await station.listen()
  const origin = address.replace('localhost', '127.0.0.1')
  const port = Number(new URL(origin).port)
  let stopped = false
  const running: RunningStation = {
    origin,
    httpsOrigin: station.httpsAddress() as string,
    station,
    dataDir,
    api: (method, path, call) => request(origin, method, path, call),
    async signIn(user = 'picker', pin = user === 'lead' ? '2222' : '1111', deviceId) {
      const result = await request(origin, 'POST', '/api/session', { body: { user, pin, ...(deviceId ? { device_id: deviceId } : {}) } })
      if (result.status !== 200) throw new Error(`sign-in failed: ${result.status} ${result.text}`)
      return result.body.token as string
    },
    mall(method, path, body) {
      const url = path.startsWith('/_sim') ? `/mall${path}` : `/mall${path}${path.includes('?') ? '&' : '?'}client_id=${config.mallClientId}`
      return request(origin, method, url, { body })
    },
    allegro(method, path, body) {
      return request(origin, method, `/allegro${path}`, { body })
    },
    async stop() {
      if (stopped) return
      stopped = true
      await station.close()
    },
    async restart() {
      await running.stop()
      return startStation({ ...options, dataDir, port })
    },
    async close() {
      await running.stop()
      if (ownDir) rmSync(dataDir, { recursive: true, force: true })
    },
  }
  return running
}

/** Polls `check` until it returns a truthy value or the time is up. */
export async function eventually<T>(check: () => Promise<T | null | undefined | false> | T | null | undefined | false, timeoutMs = 10_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  for (;;) {
    try {
      const value = await check()
      if (value) return value
    } catch (error) {
      last = error
    }
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${(last as Error).message}` : ''}`)
    await new Promise((resolve) => setTimeout(resolve, everyMs))
  }
}
