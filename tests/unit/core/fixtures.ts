import type { Order } from '#core/order.ts'
import type { Refusal } from '#core/status.ts'
import { expect } from 'vitest'

/** A complete order detail with every status timestamp empty; override what a test needs. */
export function makeOrder(overrides: Partial<Order> = {}): Order {
  return {
    id: 10085339302,
    external_id: null,
    purchase_id: 5002345678,
    source: 'web',
    customer_id: 123456,
    customer: 'Jana Nováková',
    cod: 0,
    payment_type: 'B',
    ship_date: '2024-03-12',
    tracking_number: null,
    tracking_url: null,
    delivered_at: null,
    status: 'open',
    confirmed: false,
    test: false,
    mdp: false,
    mdp_classic: false,
    mdp_spectrum: false,
    blocked: '2024-03-10 09:00:00',
    open: '2024-03-10 09:10:00',
    shipping: null,
    shipped: null,
    delivered: null,
    returned: null,
    cancelled: null,
    lost: null,
    external_order_id: 77001,
    currency: 'CZK',
    delivery_price: 29,
    cod_price: 0,
    discount: 0,
    delivery_method: 'DPD',
    delivery_method_id: 10,
    branch_id: null,
    branches: { branch_id: null, secondary_branch_id: null, overridden: false, last_change: null },
    delivery_date: null,
    first_delivery_attempt: null,
    address: {
      customer_id: 123456,
      name: 'Jana Nováková',
      company: null,
      phone: '+420777123456',
      email: 'jana@example.cz',
      street: 'Dlouhá 1',
      city: 'Praha',
      zip: '11000',
      country: 'CZ',
    },
    items: [
      { id: 'SKU-1', article_id: 1001, title: 'Kettle', quantity: 1, price: 1799, vat: 21, commission: null, serial_numbers: [] },
    ],
    ready_to_return: false,
    ulozenka_status_history: [],
    consignment_status_history: [],
    ...overrides,
  }
}

/**
 * A refusal message a packer reads: one sentence (no sentence break inside, one line),
 * non-empty, ending with a full stop, and mentioning what it is about.
 */
export function expectOneActionableSentence(refusal: Pick<Refusal, 'message'> | null, mentions?: RegExp): void {
  expect(refusal).not.toBeNull()
  const message = refusal!.message
  expect(typeof message).toBe('string')
  expect(message.trim().length).toBeGreaterThan(10)
  expect(message).toBe(message.trim())
  expect(message.endsWith('.')).toBe(true)
  // What the packer typed is quoted verbatim (“…”) and may hold anything; judge the sentence around it.
  const sentence = message.replace(/“[^”]*”/g, '“…”')
  expect(sentence).not.toMatch(/\n/)
  // No second sentence: a full stop, question or exclamation mark followed by a space before the end.
  expect(sentence.slice(0, -1)).not.toMatch(/[.!?]\s/)
  expect(sentence.slice(0, -1)).not.toMatch(/[.!?]$/)
  if (mentions) expect(message).toMatch(mentions)
}
