/**
 * Allegro's two error bodies: the REST API's `{"errors":[{code,message,details,path,userMessage,
 * metadata}]}` (OpenAPI `ErrorsHolder`) and the OAuth server's `{error,error_description}`
 * (OpenAPI `AuthError`, also what the API answers a bad bearer token with).
 */

export interface AllegroErrorEntry {
  code: string
  message: string
  details: string | null
  path: string | null
  userMessage: string
  metadata: Record<string, string>
}

/** A refusal of the REST API, answered as `{"errors":[…]}`. */
export class AllegroApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: { path?: string | null; details?: string | null; userMessage?: string; metadata?: Record<string, string> } = {},
  ) {
    super(message)
    this.name = 'AllegroApiError'
  }

  entry(): AllegroErrorEntry {
    return {
      code: this.code,
      message: this.message,
      details: this.extra.details ?? null,
      path: this.extra.path ?? null,
      userMessage: this.extra.userMessage ?? this.message,
      metadata: this.extra.metadata ?? {},
    }
  }
}

/** A refusal of the OAuth server (or of a bearer token), answered as `{error,error_description}`. */
export class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    description: string,
  ) {
    super(description)
    this.name = 'OAuthError'
  }
}

export function errorsBody(...errors: AllegroApiError[]): { errors: AllegroErrorEntry[] } {
  return { errors: errors.map((error) => error.entry()) }
}

export function notFound(code: string, message: string): AllegroApiError {
  return new AllegroApiError(404, code, message)
}

/** 422 `VALIDATION_ERROR`, naming the field in `path`. */
export function invalid(path: string, message: string, status = 422, code = 'VALIDATION_ERROR'): AllegroApiError {
  return new AllegroApiError(status, code, message, { path })
}
