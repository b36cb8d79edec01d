import { beforeAll, describe, expect, it } from 'vitest'
import { i18n, loadLanguage } from '../../../src/i18n/index.ts'
import { pluralCategories, type Language } from '../../../src/i18n/languages.ts'

/** Plurals by Intl.PluralRules, in the catalogues' own words: what a packer reads for each count. */

beforeAll(async () => {
  for (const language of ['en', 'cs', 'pl', 'sl', 'hu'] as const) await loadLanguage(language)
})

const say = (language: Language, key: string, count: number) => i18n.global.t(key, count, { locale: language })

describe('plurals', () => {
  it('counts Czech items: 1 položka, 2 položky, 5 položek', () => {
    expect([1, 2, 5].map((n) => say('cs', 'orderRow.items', n))).toEqual(['1 položka', '2 položky', '5 položek'])
    expect([1, 3, 12].map((n) => say('cs', 'sync.changesWaiting', n))).toEqual(['1 změna čeká', '3 změny čekají', '12 změn čeká'])
  })

  it('counts Polish orders: 1 zamówienie, 2 zamówienia, 5 zamówień, 22 zamówienia, 25 zamówień', () => {
    expect([1, 2, 5, 22, 25].map((n) => say('pl', 'batch.title', n))).toEqual([
      'Kompletacja zbiorcza: 1 zamówienie',
      'Kompletacja zbiorcza: 2 zamówienia',
      'Kompletacja zbiorcza: 5 zamówień',
      'Kompletacja zbiorcza: 22 zamówienia',
      'Kompletacja zbiorcza: 25 zamówień',
    ])
  })

  it('counts Slovenian with its dual: 1 paket, 2 paketa, 3 paketi, 5 paketov', () => {
    expect([1, 2, 3, 5].map((n) => say('sl', 'handover.parcels', n))).toEqual(['1 paket', '2 paketa', '3 paketi', '5 paketov'])
    expect(pluralCategories('sl')).toEqual(['one', 'two', 'few', 'other'])
  })

  it('says nothing found in its own words when a message has a form for zero', () => {
    expect(say('en', 'queueScan.inOrders', 0)).toBe('no open order has it.')
    expect(say('en', 'queueScan.inOrders', 1)).toBe('in 1 open order')
    expect(say('cs', 'queueScan.inOrders', 2)).toBe('ve 2 otevřených objednávkách')
  })

  it('keeps Hungarian nouns singular after a number, as Hungarian does', () => {
    expect([1, 7].map((n) => say('hu', 'handover.parcels', n))).toEqual(['1 csomag', '7 csomag'])
  })
})
