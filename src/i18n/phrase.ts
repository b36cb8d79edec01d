/**
 * What framework-free code says to a person, as a catalogue key with its values, turned into words
 * by the screen (or the paper) in its reader's language. No Vue here.
 */
export interface Phrase {
  key: string
  params?: Record<string, string | number>
  /** For a plural message: the count that picks its form. */
  count?: number
}

/** A translation function without Vue, as services and papers take it. */
export type Translate = (key: string, params?: Record<string, unknown>, count?: number) => string

export function phrase(key: string, params?: Record<string, string | number>, count?: number): Phrase {
  return count === undefined ? (params ? { key, params } : { key }) : { key, params: params ?? {}, count }
}

/** A phrase in words; an order's `status` is said as the marketplace's word for it (`status.*`). */
export function say(translate: Translate, what: Phrase): string {
  const params: Record<string, unknown> = { ...what.params }
  if (typeof params.status === 'string') params.status = translate(`status.${params.status}`)
  return translate(what.key, params, what.count)
}
