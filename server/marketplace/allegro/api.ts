import { parseRetryAfter } from '../retry-after.ts'
import { MarketplaceError } from '../marketplace.ts'
import type { AllegroAccount } from './account.ts'
import type { TokenBucket } from './rate-limit.ts'
import { errorsSchema } from './wire.ts'

/** Allegro's media type: without it in `Accept` Allegro answers 406, with plain JSON bodies 415. */
export const ALLEGRO_MEDIA_TYPE = 'application/vnd.allegro.public.v1+json'

export interface AllegroApiOptions {
  /** `https://api.allegro.pl` (or the sandbox's, or the simulator's). */
  apiUrl: () => string
  account: AllegroAccount
  bucket: TokenBucket
  timeoutMs: number
  /** How long Allegro blocks the app after a 429 when it does not say (one minute; tests shorten it). */
  rateLimitBlockMs?: number
  fetch?: typeof fetch
  clock?: () => number
}

export interface RequestOptions {
  query?: Record<string, string | number | readonly string[]>
  body?: unknown
  /** `binary` for a label document. */
  answer?: 'json' | 'binary'
}

/**
 * Allegro's REST API over real HTTP, the same code for the simulator and for Allegro: the media
 * type, the bearer token (renewed once on a 401), the request budget, and Allegro's error body
 * read into a {@link MarketplaceError} whose `kind` tells the callers what to do.
 */
export class AllegroApi {
  private readonly fetchImpl: typeof fetch
  private readonly clock: () => number

  constructor(private readonly options: AllegroApiOptions) {
    this.fetchImpl = options.fetch ?? fetch
    this.clock = options.clock ?? Date.now
  }

  get timeout(): number {
    return this.options.timeoutMs
  }

  async json<T = unknown>(method: string, path: string, options: RequestOptions = {}): Promise<{ status: number; body: T; headers: Headers }> {
    const { response, text } = await this.send(method, path, options)
    let body: unknown = null
    try {
      body = text === '' ? null : JSON.parse(text)
    } catch {
      body = null
    }
    return { status: response.status, body: body as T, headers: response.headers }
  }

  async binary(method: string, path: string, options: RequestOptions = {}): Promise<{ status: number; body: Buffer; type: string }> {
    const { response, bytes } = await this.send(method, path, { ...options, answer: 'binary' })
    return { status: response.status, body: bytes ?? Buffer.alloc(0), type: response.headers.get('content-type') ?? '' }
  }

  private async send(method: string, path: string, options: RequestOptions): Promise<{ response: Response; text: string; bytes: Buffer | null }> {
    const { account, bucket } = this.options
    let token = await account.accessToken()
    for (let attempt = 0; ; attempt++) {
      const blocked = bucket.blockedUntilMs
      if (blocked > 0) {
        // Allegro blocks the whole app for a minute after a 429: asking again only prolongs it.
        throw new MarketplaceError('rate_limited', 'Allegro asked the station to slow down (429): it waits a minute.', 429, null, blocked - this.clock())
      }
      await bucket.take()
      const url = new URL(`${this.options.apiUrl()}${path}`)
      for (const [key, value] of Object.entries(options.query ?? {})) {
        if (Array.isArray(value)) for (const v of value) url.searchParams.append(key, String(v))
        else url.searchParams.set(key, String(value))
      }
      const headers: Record<string, string> = {
        accept: options.answer === 'binary' ? `application/octet-stream, ${ALLEGRO_MEDIA_TYPE}` : ALLEGRO_MEDIA_TYPE,
        authorization: `Bearer ${token}`,
        'accept-language': 'en-US',
      }
      if (options.body !== undefined) headers['content-type'] = ALLEGRO_MEDIA_TYPE
      let response: Response
      try {
        response = await this.fetchImpl(url, {
          method,
          headers,
          body: options.body === undefined ? undefined : JSON.stringify(options.body),
          signal: AbortSignal.timeout(this.options.timeoutMs),
        })
      } catch (error) {
        const timedOut = (error as Error).name === 'TimeoutError'
        throw new MarketplaceError(
          'unavailable',
          timedOut ? `Allegro did not answer within ${this.options.timeoutMs / 1000} s.` : `Allegro cannot be reached (${(error as Error).message}).`,
          null,
          null,
          null,
          method !== 'GET',
        )
      }
      if (response.ok && options.answer === 'binary') {
        return { response, text: '', bytes: Buffer.from(await response.arrayBuffer()) }
      }
      const text = await response.text().catch(() => '')
      if (response.ok) return { response, text, bytes: null }
      if (response.status === 401 && attempt === 0) {
        // The token expired early or was renewed elsewhere: renew once (single-flight), then again.
        token = await account.tokenRefused(token)
        continue
      }
      throw this.error(response, text)
    }
  }

  private error(response: Response, text: string): MarketplaceError {
    let code: string | null = null
    let message = `Allegro answered ${response.status}.`
    try {
      const parsed = errorsSchema.safeParse(JSON.parse(text))
      const first = parsed.success ? parsed.data.errors[0] : undefined
      if (first) {
        code = first.code ?? null
        message = first.userMessage || first.message || message
      } else {
        const oauth = JSON.parse(text) as { error?: string; error_description?: string }
        if (oauth.error) {
          code = oauth.error
          message = oauth.error_description ?? oauth.error
        }
      }
    } catch {
      // not JSON: the status says enough
    }
    const status = response.status
    if (status === 401 || status === 403) return new MarketplaceError('unauthorized', `${message} (Allegro refused the station’s access: a lead may need to connect Allegro again.)`, status, code)
    if (status === 429) {
      const wait = parseRetryAfter(response.headers.get('retry-after')) ?? this.options.rateLimitBlockMs ?? 60_000
      this.options.bucket.block(this.clock() + wait)
      return new MarketplaceError('rate_limited', message, 429, code, wait)
    }
    if (status >= 500 || status === 408) return new MarketplaceError('unavailable', message, status, code, parseRetryAfter(response.headers.get('retry-after')))
    return new MarketplaceError('refused', message, status, code)
  }
}
