import type { FastifyInstance } from 'fastify'

/**
 * The headers every answer of the station carries (the app, `/api`, `/media`, errors and 404s).
 *
 * The app's Content-Security-Policy allows what the built PWA really uses: its own scripts only
 * (the built index.html has no inline script; the service worker registers from a bundle), its
 * own and `data:`/`blob:` images (barcodes, camera frames), styles from its own files plus the
 * `@page` rule printing sets inline, its own service worker, and API calls to its own origin. No
 * page may frame it. A blob: PDF of MALL's labels may be shown.
 */
export const APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "media-src 'self' blob:",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'self' blob:",
  "frame-src 'self' blob:",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ')

/**
 * Product photos come from the marketplace but are served from the station's origin, beside the
 * tablet's token: an SVG among them must not run script or load anything.
 */
export const PHOTO_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox"

/** The security headers of an answer to `path`. */
export function securityHeaders(path: string): Record<string, string> {
  const headers: Record<string, string> = {
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    // The simulator's photos (`/mall/media`) are on the station's origin in demo mode, too.
    'content-security-policy': /^\/(mall\/)?media\//.test(path) ? PHOTO_CSP : APP_CSP,
    'x-frame-options': 'DENY',
  }
  // Orders, customers' addresses and tokens are never kept by a browser's or a proxy's cache.
  if (path === '/api' || path.startsWith('/api/')) headers['cache-control'] = 'no-store'
  return headers
}

/** Adds {@link securityHeaders} to every answer that goes through Fastify's reply. */
export function registerSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    const path = request.url.split('?')[0] ?? '/'
    for (const [name, value] of Object.entries(securityHeaders(path))) reply.header(name, value)
    return payload
  })
}
