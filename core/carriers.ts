import { TRACKING_NUMBER_PATTERN, type Refusal } from './status'

/**
 * Own carriers and their tracking links. The warehouse keeps a list of the carriers it hands
 * parcels to, each with a link template; `{tracking_number}` in it stands for the parcel's number.
 * MALL takes the number (only letters, digits, - and _) and the link with the `shipped` status.
 */

export interface Carrier {
  id: string
  name: string
  /** A web address with `{tracking_number}` where the number goes. */
  tracking_url_template: string
}

export const TRACKING_PLACEHOLDER = '{tracking_number}'

/** The carriers a Czech warehouse commonly uses; the station's own list replaces these. */
export const DEFAULT_CARRIERS: readonly Carrier[] = [
  { id: 'ppl', name: 'PPL', tracking_url_template: 'https://www.ppl.cz/vyhledat-zasilku?shipmentId={tracking_number}' },
  { id: 'dpd', name: 'DPD', tracking_url_template: 'https://tracking.dpd.de/status/cs_CZ/parcel/{tracking_number}' },
  { id: 'gls', name: 'GLS', tracking_url_template: 'https://gls-group.com/CZ/cs/sledovani-zasilek?match={tracking_number}' },
  { id: 'packeta', name: 'Zásilkovna (Packeta)', tracking_url_template: 'https://tracking.packeta.com/cs/?id={tracking_number}' },
  { id: 'ceska-posta', name: 'Česká pošta', tracking_url_template: 'https://www.postaonline.cz/trackandtrace/-/zasilka/cislo?parcelNumbers={tracking_number}' },
]

/** What is wrong with a template, as a code (the tablet says it in the reader's language), or null. */
export type TemplateProblem = 'placeholder' | 'web_address'

export function templateProblem(template: string): TemplateProblem | null {
  const count = template.split(TRACKING_PLACEHOLDER).length - 1
  if (count !== 1) return 'placeholder'
  try {
    const url = new URL(template.replace(TRACKING_PLACEHOLDER, 'X'))
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('protocol')
  } catch {
    return 'web_address'
  }
  return null
}

/** Why a template cannot be used, or null: it must be an http(s) address holding the placeholder once. */
export function checkTemplate(template: string): string | null {
  switch (templateProblem(template)) {
    case 'placeholder':
      return `The tracking link must contain ${TRACKING_PLACEHOLDER} exactly once, where the number goes.`
    case 'web_address':
      return 'The tracking link must be a web address starting with https:// or http://.'
    default:
      return null
  }
}

/** A scanned or typed tracking number as MALL takes it: trimmed, inner spaces removed, upper case kept. */
export function normalizeTrackingNumber(raw: string): string {
  return raw.replace(/[\s\u0000-\u001f]/g, '')
}

/**
 * The tracking number and link for a parcel, or the refusal a packer can act on when the number
 * has characters MALL refuses.
 */
export function trackingFor(carrier: Carrier, raw: string): { tracking_number: string; tracking_url: string } | Refusal {
  const trackingNumber = normalizeTrackingNumber(raw)
  if (trackingNumber === '') {
    return { code: 'TRACKING_REQUIRED', message: 'Scan or type the parcel’s tracking number.', attributes: {} }
  }
  if (!TRACKING_NUMBER_PATTERN.test(trackingNumber)) {
    const bad = [...new Set(trackingNumber.replace(/[0-9a-zA-Z_-]/g, ''))].join(' ')
    return {
      code: 'TRACKING_NUMBER_INVALID',
      message: `The tracking number “${trackingNumber}” has characters the marketplace refuses (${bad}): use only letters, digits, - and _.`,
      attributes: { tracking_number: trackingNumber },
    }
  }
  return { tracking_number: trackingNumber, tracking_url: carrier.tracking_url_template.replace(TRACKING_PLACEHOLDER, encodeURIComponent(trackingNumber)) }
}
