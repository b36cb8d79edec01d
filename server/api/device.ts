import type { FastifyRequest } from 'fastify'

/** The tablet a request comes from, as the audit log records it: its header, else its session's. */
export function deviceId(request: FastifyRequest): string | null {
  const header = request.headers['x-device-id']
  const value = Array.isArray(header) ? header[0] : header
  if (typeof value === 'string' && /^[\w.:-]{1,100}$/.test(value)) return value
  return request.session?.device_id ?? null
}
