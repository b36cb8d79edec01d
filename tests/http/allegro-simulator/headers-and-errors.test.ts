import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAllegroSimulator, type RunningAllegro } from '../../support/allegro-simulator.ts'
import { createOrder, expectErrors, expectOAuthError } from './helpers.ts'

/** Reference §1 "Headers" and "Errors": Allegro's media type, its error bodies, bearer tokens. */

let sim: RunningAllegro

beforeAll(async () => {
  sim = await startAllegroSimulator()
})
afterAll(() => sim?.close())

describe('Accept and Content-Type', () => {
  it('answers in application/vnd.allegro.public.v1+json when asked for it', async () => {
    const response = await sim.call('GET', '/order/checkout-forms', { query: { limit: 1 } })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^application\/vnd\.allegro\.public\.v1\+json/)
    expect(response.headers.get('trace-id')).toBeTruthy()
  })

  it('refuses a request without that Accept with 406 NotAcceptableException', async () => {
    expectErrors(await sim.call('GET', '/order/checkout-forms', { accept: null }), 406, 'NotAcceptableException')
    expectErrors(await sim.call('GET', '/order/events', { accept: 'application/json' }), 406, 'NotAcceptableException')
    expectErrors(await sim.call('GET', '/order/event-stats', { accept: '*/*' }), 406)
  })

  it('takes the media type among others and with parameters', async () => {
    const response = await sim.call('GET', '/order/event-stats', { accept: 'text/html, application/vnd.allegro.public.v1+json;q=0.9' })
    expect(response.status, response.text).toBe(200)
  })

  it('refuses a body sent as plain application/json with 415, and changes nothing', async () => {
    const form = await createOrder(sim)
    const response = await sim.call('PUT', `/order/checkout-forms/${form.id}/fulfillment`, { body: { status: 'PROCESSING' }, contentType: 'application/json' })
    expectErrors(response, 415)
    expect((await sim.call('GET', `/order/checkout-forms/${form.id}`)).body.fulfillment.status).toBe('NEW')
  })

  it('answers a body that is not JSON with 400 in the errors body', async () => {
    const form = await createOrder(sim)
    expectErrors(await sim.call('PUT', `/order/checkout-forms/${form.id}/fulfillment`, { rawBody: '{"status":' }), 400)
  })
})

describe('bearer tokens', () => {
  it('refuses a request without a token with 401 and the OAuth error body', async () => {
    const response = await sim.call('GET', '/order/checkout-forms', { token: null })
    expect(response.status).toBe(401)
    expect(response.body.error).toBeTypeOf('string')
    expect(response.body.error_description).toBeTypeOf('string')
  })

  it('refuses an unknown token with 401 invalid_token', async () => {
    expectOAuthError(await sim.call('GET', '/order/events', { token: 'not-a-token' }), 401, 'invalid_token')
  })

  it('refuses an expired access token (12 hours) with 401 invalid_token', async () => {
    const own = await startAllegroSimulator()
    try {
      expect((await own.call('GET', '/order/event-stats')).status).toBe(200)
      own.advance(43_200 * 1000)
      expectOAuthError(await own.call('GET', '/order/event-stats'), 401, 'invalid_token')
    } finally {
      await own.close()
    }
  })
})

describe('unknown addresses', () => {
  it('answers 404 in the errors body', async () => {
    expectErrors(await sim.call('GET', '/order/nothing-here'), 404)
  })

  it('answers a checkout form that does not exist with 404 and a malformed id with 422', async () => {
    expectErrors(await sim.call('GET', '/order/checkout-forms/29738e61-7f6a-11e8-ac45-09db60ede9d6'), 404)
    expectErrors(await sim.call('GET', '/order/checkout-forms/not-a-uuid'), 422)
  })
})
