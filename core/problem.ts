import type { StationOrder } from './station-api'

/**
 * Errors of the station API as `application/problem+json` (RFC 9457): a stable machine-readable
 * `code` and a `detail` sentence a person can act on, plus anything the client needs (the current
 * order on a conflict).
 */
export interface Problem {
  type: string
  title: string
  status: number
  code: string
  detail: string
  /** The station's current order, when the answer is news the tablet lacked (a conflict). */
  order?: StationOrder
  [extra: string]: unknown
}

const TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
}

export function problem(status: number, code: string, detail: string, extra: Record<string, unknown> = {}): Problem {
  return { type: 'about:blank', title: TITLES[status] ?? 'Error', status, code, detail, ...extra }
}

export const PROBLEM_TYPE = 'application/problem+json; charset=utf-8'
