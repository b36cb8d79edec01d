import { expect } from 'vitest'
import type { AllegroCallResult, RunningAllegro } from '../../support/allegro-simulator.ts'

/**
 * What the Allegro simulator's HTTP tests share, written from the contract
 * (allegro-orders-api.md and the OpenAPI document), not from the simulator's code.
 */

export const MARKETPLACE_CURRENCIES = { 'allegro-pl': 'PLN', 'allegro-cz': 'CZK', 'allegro-sk': 'EUR', 'allegro-hu': 'HUF' } as const
export const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/
export const AMOUNT = /^\d+\.\d{2}$/
export const DAY = 24 * 3600 * 1000

/** Asserts Allegro's error body `{"errors":[{code,message,details,path,userMessage,metadata}]}`; returns the first error. */
export function expectErrors(response: AllegroCallResult, status: number, code?: string) {
  expect(response.status, response.text).toBe(status)
  expect(response.headers.get('content-type') ?? '').toMatch(/^application\/vnd\.allegro\.public\.v1\+json/)
  expect(Array.isArray(response.body?.errors), response.text).toBe(true)
  expect(response.body.errors.length).toBeGreaterThan(0)
  for (const error of response.body.errors) {
    expect(error.code).toBeTypeOf('string')
    expect(error.message).toBeTypeOf('string')
    expect(error.userMessage).toBeTypeOf('string')
    expect(error).toHaveProperty('path')
    expect(error).toHaveProperty('details')
  }
  if (code !== undefined) expect(response.body.errors[0].code).toBe(code)
  return response.body.errors[0]
}

/** Asserts the OAuth body `{error, error_description}`. */
export function expectOAuthError(response: AllegroCallResult, status: number, error: string) {
  expect(response.status, response.text).toBe(status)
  expect(response.body?.error, response.text).toBe(error)
  expect(response.body.error_description).toBeTypeOf('string')
}

export async function listAll(sim: RunningAllegro, query: Record<string, string> = {}) {
  const response = await sim.call('GET', '/order/checkout-forms', { query: { limit: 100, ...query } })
  expect(response.status, response.text).toBe(200)
  return response.body.checkoutForms as any[] // eslint-disable-line @typescript-eslint/no-explicit-any -- the wire shape
}

export async function getForm(sim: RunningAllegro, id: string) {
  const response = await sim.call('GET', `/order/checkout-forms/${id}`)
  expect(response.status, response.text).toBe(200)
  return response.body
}

/** A new READY_FOR_PROCESSING order (unless told otherwise) through the control API. */
export async function createOrder(sim: RunningAllegro, body: Record<string, unknown> = {}) {
  const response = await sim.control('POST', '/_sim/orders', body)
  expect(response.status, response.text).toBe(201)
  return response.body
}

export async function setFulfillment(sim: RunningAllegro, id: string, status: string, revision?: string) {
  return sim.call('PUT', `/order/checkout-forms/${id}/fulfillment`, {
    query: revision === undefined ? {} : { 'checkoutForm.revision': revision },
    body: { status },
  })
}

export async function allEvents(sim: RunningAllegro, from?: string) {
  const events: any[] = [] // eslint-disable-line @typescript-eslint/no-explicit-any -- the wire shape
  let cursor = from
  for (;;) {
    const response = await sim.call('GET', '/order/events', { query: { limit: 1000, ...(cursor ? { from: cursor } : {}) } })
    expect(response.status, response.text).toBe(200)
    events.push(...response.body.events)
    if (response.body.events.length < 1000) return events
    cursor = response.body.events.at(-1).id
  }
}

/** The sender and receiver a WzA create command needs; the receiver's e-mail links the parcel to the order. */
export function shipmentInput(form: { buyer: { email: string }; delivery: { address: Record<string, string>; pickupPoint?: { id: string } }; summary: { totalToPay: { amount: string; currency: string } }; payment: { type: string } }, labelFormat: 'PDF' | 'ZPL' = 'PDF') {
  const address = form.delivery.address
  return {
    sender: { name: 'Demo Warehouse', street: 'Magazynowa 1', postalCode: '61-001', city: 'Poznań', countryCode: 'PL', email: 'shop@example.com', phone: '+48600100200' },
    receiver: {
      name: `${address.firstName} ${address.lastName}`,
      street: address.street,
      postalCode: address.zipCode,
      city: address.city,
      countryCode: address.countryCode,
      email: form.buyer.email,
      phone: address.phoneNumber,
      ...(form.delivery.pickupPoint ? { point: form.delivery.pickupPoint.id } : {}),
    },
    packages: [{ type: 'PACKAGE', length: { value: 20, unit: 'CENTIMETER' }, width: { value: 15, unit: 'CENTIMETER' }, height: { value: 10, unit: 'CENTIMETER' }, weight: { value: 1.2, unit: 'KILOGRAMS' } }],
    ...(form.payment.type === 'CASH_ON_DELIVERY' ? { cashOnDelivery: { ...form.summary.totalToPay } } : {}),
    labelFormat,
  }
}
