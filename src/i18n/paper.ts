import type { Order } from '#core/order.ts'
import type { Paper } from '@/services/print/documents'
import { loadLanguage, translatorFor } from './index'
import { intlLocale, languageOfCountry, type Language } from './languages'
import { deliveryMethodOf } from '#core/delivery-methods.ts'
import { deliveryName } from './sentences'

/**
 * The language an order's papers are printed in: the station's setting when a team lead set one
 * for the warehouse, otherwise the customer's, from the order's country (SK → Slovak).
 */
export function paperLanguage(order: Pick<Order, 'address'>, setting: Language | null | undefined): Language {
  return setting ?? languageOfCountry(order.address.country)
}

/** A paper's words and money format in `language`, its catalogue loaded first. */
export async function paperFor(language: Language): Promise<Paper> {
  await loadLanguage(language)
  const translate = translatorFor(language)
  return { language, translate, locale: intlLocale(language), methodName: (order) => deliveryName(deliveryMethodOf(order), translate) }
}
