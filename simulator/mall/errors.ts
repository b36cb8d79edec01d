/** A refusal the simulated marketplace answers with its error envelope. */
export class MallApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly attributes: Record<string, unknown> = {},
  ) {
    super(message)
    this.name = 'MallApiError'
  }
}

/** The body MALL answers an error with: the message in `result`, machine detail in `errorCodes`. */
export function errorEnvelope(status: number, code: string, message: string, attributes: Record<string, unknown> = {}) {
  return {
    result: { code: status, status: status === 429 ? 'LIMITED' : 'ERROR', message },
    errorCodes: [{ errorCode: code, message, errorAttributes: attributes }],
  }
}

export function notFound(what: string, id: string | number): MallApiError {
  return new MallApiError(404, 'RESOURCE_NOT_FOUND', `${what} ${id} was not found.`, { id: String(id) })
}

export function badRequest(message: string, attributes: Record<string, unknown> = {}, code = 'VALIDATION_FAILED'): MallApiError {
  return new MallApiError(400, code, message, attributes)
}
