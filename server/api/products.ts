import type { FastifyInstance } from 'fastify'
import { PHOTO_CSP } from '../security-headers.ts'
import type { ApiDeps } from './deps.ts'
import { sendProblem } from './problem.ts'
import { pageOf } from './request.ts'

/** The image types a product photo may have; anything else the marketplace sends is not served. */
const PHOTO_TYPES = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/avif', 'image/svg+xml'])

/** The catalogue the tablets pull (`GET /api/products`, a page of changes since a cursor). */
export function registerProducts(api: FastifyInstance, deps: Pick<ApiDeps, 'products'>): void {
  api.get('/products', async (request, reply) => {
    const asked = pageOf(request, reply)
    if (!asked) return reply
    const page = deps.products.delta(asked.since, asked.limit)
    return { products: page.products, cursor: String(page.cursor), more: page.more }
  })
}

/** Product photos (`/media/products/:sku`), outside `/api`: not secret, and an <img> cannot send a token. */
export function registerProductMedia(app: FastifyInstance, deps: Pick<ApiDeps, 'products' | 'photos'>): void {
  app.get('/media/products/:sku', async (request, reply) => {
    const sku = (request.params as { sku?: string }).sku ?? ''
    const product = deps.products.get(sku)
    if (!product?.source_photo_url) return sendProblem(reply, 404, 'NOT_FOUND', `There is no photo of product ${sku}.`)
    try {
      const photo = await deps.photos.get(product.source_photo_url)
      if (!photo) return sendProblem(reply, 404, 'NOT_FOUND', `The marketplace has no photo of product ${sku}.`)
      const type = photo.type.split(';')[0]?.trim().toLowerCase() ?? ''
      if (!PHOTO_TYPES.has(type)) return sendProblem(reply, 404, 'NOT_FOUND', `The marketplace's photo of product ${sku} is not an image the station serves (${type}).`)
      // An SVG is a document: sandboxed, it cannot run script beside the tablet's token.
      return reply.type(type).header('content-security-policy', PHOTO_CSP).header('cache-control', 'public, max-age=604800').send(photo.body)
    } catch (error) {
      return sendProblem(reply, 503, 'PHOTO_UNAVAILABLE', `The photo cannot be fetched from the marketplace now (${(error as Error).message}); it is tried again next time.`)
    }
  })
}
