import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, type RunningSimulator } from '../../support/simulator.ts'
import { createOrder, expectError, expectOk, expectPutOk, put } from './helpers.ts'

let sim: RunningSimulator
let openId: number

beforeAll(async () => {
  sim = await startSimulator()
  openId = (await createOrder(sim, { mdp: false })).id
})
afterAll(() => sim?.close())

describe('client_id', () => {
  const calls = (): [string, string, unknown?][] => [
    ['GET', '/v1/orders'],
    ['GET', '/v1/orders/unconfirmed'],
    ['GET', '/v1/orders/open'],
    ['GET', '/v1/orders/stats'],
    ['GET', `/v1/orders/${openId}`],
    ['GET', `/v1/orders/${openId}/consignments`],
    ['PUT', `/v1/orders/${openId}`, { confirmed: true }],
    ['PUT', `/v1/orders/${openId}/tracking`, { tracking_number: 'A1', tracking_url: 'https://t.example/A1' }],
    ['POST', '/v1/orders/labels', { labels_type: 'pdf', labels: [{ order_id: openId, parcel_count: 1 }] }],
    ['GET', '/v1/products'],
  ]

  it('a call without client_id is refused with 401 in the error envelope, on every endpoint', async () => {
    for (const [method, path, body] of calls()) {
      const response = await sim.call(method, path, { clientId: null, body })
      const error = expectError(response, 401)
      expect(error.result.status, `${method} ${path}`).toBe('ERROR')
      expect(error.errorCodes[0].errorAttributes).toEqual({})
    }
  })

  it('a wrong or empty client_id is refused with 401', async () => {
    for (const clientId of ['not-the-key', `${sim.clientId}x`, sim.clientId.toUpperCase() === sim.clientId ? 'x' : sim.clientId.toUpperCase(), '']) {
      for (const [method, path, body] of calls()) {
        const error = expectError(await sim.call(method, path, { clientId, body }), 401)
        expect(error.errorCodes[0].errorAttributes).toEqual({})
      }
    }
  })

  it('a refused call changes nothing', async () => {
    const order = await createOrder(sim, { mdp: false })
    const response = await sim.call('PUT', `/v1/orders/${order.id}`, { clientId: 'wrong', body: { confirmed: true, status: 'cancelled' } })
    expectError(response, 401)
    const after = expectOk(await sim.call('GET', `/v1/orders/${order.id}`))
    expect(after).toMatchObject({ status: 'open', confirmed: false })
  })

  it('the right client_id is let in', async () => {
    expectOk(await sim.call('GET', '/v1/orders'))
  })
})

describe('the response envelope', () => {
  it('a list answers {result, paging, data} with all four paging keys as whole numbers', async () => {
    const response = await sim.call('GET', '/v1/orders', { query: { page_size: 5 } })
    expectOk(response)
    expect(Object.keys(response.body).sort()).toEqual(['data', 'paging', 'result'])
    const { paging } = response.body
    expect(Object.keys(paging).sort()).toEqual(['page', 'pages', 'size', 'total'])
    for (const key of ['total', 'pages', 'size', 'page']) expect(Number.isInteger(paging[key]), key).toBe(true)
    expect(paging).toMatchObject({ page: 1, size: 5 })
    expect(response.body.data).toHaveLength(5)
  })

  it('every list endpoint carries paging', async () => {
    for (const path of ['/v1/orders', '/v1/orders/unconfirmed', '/v1/orders/open', '/v1/orders/blocked', '/v1/products']) {
      const response = await sim.call('GET', path)
      expectOk(response)
      expect(Object.keys(response.body.paging).sort(), path).toEqual(['page', 'pages', 'size', 'total'])
      expect(Array.isArray(response.body.data), path).toBe(true)
    }
  })

  it('the detail answers {result, data} without paging', async () => {
    const response = await sim.call('GET', `/v1/orders/${openId}`)
    const data = expectOk(response)
    expect(Object.keys(response.body).sort()).toEqual(['data', 'result'])
    expect(data.id).toBe(openId)
  })

  it('a successful PUT answers exactly {result: {code: 200, status: "OK"}} and no data', async () => {
    const response = await put(sim, openId, { confirmed: true })
    expectPutOk(response)
    expect(JSON.parse(response.text)).toStrictEqual({ result: { code: 200, status: 'OK' } })
  })

  it('an unknown order is 404 RESOURCE_NOT_FOUND, for reading and for writing', async () => {
    const unknown = 99_999_999_999
    expectError(await sim.call('GET', `/v1/orders/${unknown}`), 404, 'RESOURCE_NOT_FOUND')
    expectError(await put(sim, unknown, { confirmed: true }), 404, 'RESOURCE_NOT_FOUND')
    expectError(await sim.call('GET', `/v1/orders/${unknown}/consignments`), 404, 'RESOURCE_NOT_FOUND')
    expectError(await sim.call('PUT', `/v1/orders/${unknown}/tracking`, { body: { tracking_number: 'A1', tracking_url: 'https://t.example/A1' } }), 404, 'RESOURCE_NOT_FOUND')
    expectError(await sim.call('GET', '/v1/orders/not-a-number'), 404, 'RESOURCE_NOT_FOUND')
  })

  it('an unknown path answers 404 in the same envelope', async () => {
    expectError(await sim.call('GET', '/v1/nothing-here'), 404)
    expectError(await sim.call('DELETE', `/v1/orders/${openId}`), 404)
  })

  it('every error body has errorCodes[0].errorAttributes as an object', async () => {
    const failures = [
      await sim.call('GET', '/v1/orders', { clientId: null }),
      await sim.call('GET', '/v1/orders/1'),
      await sim.call('GET', '/v1/orders', { query: { page: 0 } }),
      await sim.call('GET', '/v1/orders', { query: { nonsense: 1 } }),
      await sim.call('GET', '/v1/orders', { query: { _sort: 'nonsense' } }),
      await sim.call('GET', '/v1/orders/stats', { query: { days: 'x' } }),
      await put(sim, openId, { confirmed: 'yes' }),
      await sim.call('PUT', `/v1/orders/${openId}`, { rawBody: '{"confirmed": tru' }),
      await sim.call('POST', '/v1/orders/labels', { body: { labels: [] } }),
      await sim.call('GET', '/v1/products/no-such-product'),
    ]
    for (const response of failures) {
      expect(response.status, response.text).toBeGreaterThanOrEqual(400)
      expectError(response, response.status)
    }
  })
})
