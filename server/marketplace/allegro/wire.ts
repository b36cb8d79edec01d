import { z } from 'zod'

/**
 * Allegro's wire shapes, as far as the station reads them (the field names of the official OpenAPI
 * document; see allegro-orders-api.md in the project's reference notes). Lenient: a field the
 * station does not use may be missing or null; what it needs fails loudly here.
 */

const money = z.object({ amount: z.string(), currency: z.string() })
const text = z.string().nullish()

const address = z
  .object({
    firstName: text,
    lastName: text,
    street: text,
    city: text,
    zipCode: text,
    postCode: text,
    countryCode: text,
    companyName: text,
    phoneNumber: text,
  })
  .passthrough()

export const checkoutFormSchema = z
  .object({
    id: z.string().min(1),
    status: z.string(),
    revision: z.string().nullish(),
    updatedAt: text,
    marketplace: z.object({ id: z.string() }).nullish(),
    buyer: z
      .object({ id: text, email: text, login: text, firstName: text, lastName: text, companyName: text, phoneNumber: text })
      .passthrough(),
    payment: z.object({ id: text, type: text, paidAmount: money.nullish() }).passthrough().nullish(),
    fulfillment: z
      .object({
        status: z.string().nullish(),
        shipmentSummary: z.object({ lineItemsSent: z.string().nullish() }).nullish(),
        provider: z.object({ id: z.string().nullish() }).nullish(),
      })
      .nullish(),
    delivery: z
      .object({
        address: address.nullish(),
        method: z.object({ id: text, name: text }).nullish(),
        pickupPoint: z.object({ id: text, name: text, address: address.nullish() }).passthrough().nullish(),
        cost: money.nullish(),
        time: z.object({ dispatch: z.object({ from: text, to: text }).nullish() }).passthrough().nullish(),
        calculatedNumberOfPackages: z.number().nullish(),
      })
      .passthrough()
      .nullish(),
    lineItems: z.array(
      z
        .object({
          id: z.string(),
          offer: z.object({ id: z.string(), name: text, external: z.object({ id: text }).nullish() }).passthrough(),
          quantity: z.number(),
          price: money,
          tax: z.object({ rate: z.string().nullish() }).nullish(),
          boughtAt: text,
        })
        .passthrough(),
    ),
    summary: z.object({ totalToPay: money }),
  })
  .passthrough()

export type CheckoutForm = z.infer<typeof checkoutFormSchema>

export const checkoutFormsSchema = z.object({ checkoutForms: z.array(checkoutFormSchema), count: z.number().optional(), totalCount: z.number().optional() })

export const orderEventsSchema = z.object({
  events: z.array(
    z
      .object({
        id: z.string(),
        type: z.string(),
        occurredAt: text,
        order: z.object({ checkoutForm: z.object({ id: z.string(), revision: text }).nullish() }).passthrough(),
      })
      .passthrough(),
  ),
})

export type OrderEvent = z.infer<typeof orderEventsSchema>['events'][number]

export const eventStatsSchema = z.object({ latestEvent: z.object({ id: z.string(), occurredAt: text }).nullish() })

export const shipmentsSchema = z.object({
  shipments: z.array(z.object({ id: text, waybill: z.string(), carrierId: text, createdAt: text }).passthrough()).default([]),
})

export const trackingSchema = z.object({
  carrierId: z.string().nullish(),
  waybills: z
    .array(
      z.object({
        waybill: z.string(),
        trackingDetails: z.object({ statuses: z.array(z.object({ occurredAt: z.string(), code: z.string() }).passthrough()) }).passthrough().nullish(),
      }),
    )
    .default([]),
})

export const carriersSchema = z.object({ carriers: z.array(z.object({ id: z.string(), name: text })) })

const image = z.union([z.string(), z.object({ url: z.string() }).transform((i) => i.url)])

export const productOfferSchema = z
  .object({
    id: z.string(),
    name: text,
    images: z.array(image).nullish(),
    external: z.object({ id: text }).nullish(),
    productSet: z
      .array(
        z
          .object({
            product: z
              .object({
                id: text,
                images: z.array(image).nullish(),
                parameters: z.array(z.object({ id: z.string(), values: z.array(z.string()).nullish() }).passthrough()).nullish(),
              })
              .passthrough()
              .nullish(),
          })
          .passthrough(),
      )
      .nullish(),
  })
  .passthrough()

export type ProductOffer = z.infer<typeof productOfferSchema>

export const createCommandSchema = z.object({ commandId: z.string().nullish(), status: z.string().nullish(), shipmentId: z.string().nullish(), errors: z.array(z.unknown()).nullish() }).passthrough()

export const shipmentDetailSchema = z
  .object({ id: z.string().nullish(), packages: z.array(z.object({ waybill: z.string().nullish() }).passthrough()).nullish() })
  .passthrough()

/** Allegro's error body, `{"errors":[{code, message, userMessage, …}]}`. */
export const errorsSchema = z.object({ errors: z.array(z.object({ code: text, message: text, userMessage: text }).passthrough()) })

/** The EAN (GTIN) parameter of a product, inside `productSet[].product.parameters`. */
export const EAN_PARAMETER_ID = '225693'
