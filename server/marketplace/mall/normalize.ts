import { z } from 'zod'
import { ORDER_STATUSES, type BasicOrder, type Order } from '#core/order.ts'
import type { MallProduct } from '#core/product.ts'

/**
 * What the marketplace sends, made whole. The real API omits null keys, sends some numbers as
 * strings (`delivery_method_id: "21"`) and has had two list shapes; the station reads all of them
 * into the one shape of `core/order.ts`. Anything it cannot make sense of fails loudly here
 * rather than deep in the station.
 */

const number = z.preprocess((value) => (typeof value === 'string' && value.trim() !== '' ? Number(value) : value), z.number().finite())
const numberOr = (fallback: number) => number.nullish().transform((value) => value ?? fallback)
const nullableNumber = number.nullish().transform((value) => value ?? null)
const bool = z
  .preprocess((value) => {
    if (value === 'true' || value === '1' || value === 1) return true
    if (value === 'false' || value === '0' || value === 0 || value === '') return false
    return value
  }, z.boolean().nullish())
  .transform((value) => value ?? false)
const text = z.preprocess((value) => (typeof value === 'number' ? String(value) : value), z.string().nullish())
const nullableText = text.transform((value) => value ?? null)
const textOr = (fallback: string) => text.transform((value) => value ?? fallback)
const status = z.enum(ORDER_STATUSES)

const timestamps = Object.fromEntries(ORDER_STATUSES.map((s) => [s, nullableText])) as Record<(typeof ORDER_STATUSES)[number], typeof nullableText>

const basicShape = {
  id: number,
  external_id: nullableText,
  purchase_id: numberOr(0),
  source: textOr(''),
  customer_id: numberOr(0),
  customer: textOr(''),
  cod: numberOr(0),
  payment_type: textOr(''),
  ship_date: nullableText,
  tracking_number: nullableText,
  tracking_url: nullableText,
  delivered_at: nullableText,
  status,
  confirmed: bool,
  test: bool,
  mdp: bool,
  mdp_classic: bool,
  mdp_spectrum: bool,
  ...timestamps,
}

const basicOrderSchema = z.object(basicShape)

const itemSchema = z.object({
  id: z.preprocess((value) => (typeof value === 'number' ? String(value) : value), z.string().min(1)),
  article_id: numberOr(0),
  title: textOr(''),
  quantity: number,
  price: numberOr(0),
  vat: numberOr(0),
  commission: nullableNumber,
  serial_numbers: z.array(z.string()).nullish().transform((value) => value ?? []),
})

const orderSchema = z.object({
  ...basicShape,
  external_order_id: numberOr(0),
  currency: textOr('CZK'),
  delivery_price: numberOr(0),
  cod_price: numberOr(0),
  discount: numberOr(0),
  delivery_method: textOr(''),
  delivery_method_id: numberOr(0),
  branch_id: nullableNumber,
  branches: z
    .object({
      branch_id: nullableNumber,
      secondary_branch_id: nullableNumber,
      overridden: bool,
      last_change: nullableText,
      branch_change_time: nullableText,
    })
    .nullish(),
  delivery_date: nullableText,
  first_delivery_attempt: nullableText,
  address: z
    .object({
      customer_id: numberOr(0),
      name: textOr(''),
      company: nullableText,
      phone: textOr(''),
      email: textOr(''),
      street: textOr(''),
      city: textOr(''),
      zip: textOr(''),
      country: textOr(''),
    })
    .nullish(),
  items: z.array(itemSchema).nullish().transform((value) => value ?? []),
  ready_to_return: bool,
  ulozenka_status_history: z.array(z.any()).nullish().transform((value) => value ?? []),
  consignment_status_history: z.array(z.any()).nullish().transform((value) => value ?? []),
})

export class MarketplaceDataError extends Error {}

function describe(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`)
    .join('; ')
}

export function normalizeBasicOrder(raw: unknown): BasicOrder {
  const parsed = basicOrderSchema.safeParse(raw)
  if (!parsed.success) throw new MarketplaceDataError(`The marketplace sent an order the station cannot read (${describe(parsed.error)}).`)
  return parsed.data
}

export function normalizeOrder(raw: unknown): Order {
  const parsed = orderSchema.safeParse(raw)
  if (!parsed.success) throw new MarketplaceDataError(`The marketplace sent an order the station cannot read (${describe(parsed.error)}).`)
  const { branches, address, ...order } = parsed.data
  const branchId = branches?.branch_id ?? order.branch_id
  return {
    ...order,
    branch_id: order.branch_id ?? branchId,
    branches: {
      branch_id: branchId,
      secondary_branch_id: branches?.secondary_branch_id ?? null,
      overridden: branches?.overridden || (branches?.secondary_branch_id ?? null) !== null,
      last_change: branches?.last_change ?? branches?.branch_change_time ?? null,
    },
    address: address ?? { customer_id: order.customer_id, name: order.customer, company: null, phone: '', email: '', street: '', city: '', zip: '', country: '' },
  }
}

/** Order ids from `/unconfirmed` or `/{status}`: `[1, 2]`, `{"ids": [1, 2]}`, or basic objects. */
export function normalizeIdList(data: unknown): number[] {
  const list = Array.isArray(data) ? data : data && typeof data === 'object' && Array.isArray((data as { ids?: unknown }).ids) ? (data as { ids: unknown[] }).ids : null
  if (list === null) throw new MarketplaceDataError('The marketplace sent an order list the station cannot read (neither an array nor {ids}).')
  return list.map((entry) => {
    const id = typeof entry === 'object' && entry !== null ? (entry as { id?: unknown }).id : entry
    const value = typeof id === 'string' ? Number(id) : id
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
      throw new MarketplaceDataError(`The marketplace sent an order id the station cannot read: ${JSON.stringify(entry)}.`)
    }
    return value
  })
}

const mediaSchema = z.array(z.object({ url: z.string(), main: bool })).nullish().transform((value) => value ?? [])

const productSchema = z.object({
  id: z.preprocess((value) => (typeof value === 'number' ? String(value) : value), z.string().min(1)),
  title: textOr(''),
  category_id: textOr(''),
  brand_id: nullableText,
  barcode: nullableText,
  price: numberOr(0),
  vat: numberOr(0),
  media: mediaSchema,
  status: z.enum(['A', 'N']).catch('A'),
  variants: z
    .array(
      z.object({
        id: z.preprocess((value) => (typeof value === 'number' ? String(value) : value), z.string().min(1)),
        title: textOr(''),
        barcode: nullableText,
        price: numberOr(0),
        media: mediaSchema,
        parameters: z.record(z.string(), z.any()).nullish().transform((value) => Object.fromEntries(Object.entries(value ?? {}).map(([k, v]) => [k, String(v)]))),
      }),
    )
    .nullish()
    .transform((value) => value ?? []),
})

export function normalizeProduct(raw: unknown): MallProduct {
  const parsed = productSchema.safeParse(raw)
  if (!parsed.success) throw new MarketplaceDataError(`The marketplace sent a product the station cannot read (${describe(parsed.error)}).`)
  return parsed.data
}
