import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { i18n, loadLanguage } from '../../../src/i18n/index.ts'
import { LANGUAGES, PSEUDO_LANGUAGE, pluralCategories, type ScreenLanguage } from '../../../src/i18n/languages.ts'
import en from '../../../src/i18n/locales/en.ts'
import { SCAN_VERDICTS } from '../../../src/services/scan/matching.ts'

/**
 * The catalogues (src/i18n/locales/): every language has every key, no key is left unused, every
 * code the tablet turns into words has a sentence, and every language's messages take the same
 * values and have their language's plural forms.
 */

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
type Tree = { [key: string]: string | Tree }

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>()
  for (const [key, value] of Object.entries(tree)) {
    if (typeof value === 'string') out.set(prefix + key, value)
    else for (const [k, v] of flatten(value, `${prefix}${key}.`)) out.set(k, v)
  }
  return out
}

function filesUnder(dir: string, ends: string[]): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return filesUnder(path, ends)
    return ends.some((end) => name.endsWith(end)) ? [path] : []
  })
}

const catalogues = new Map<ScreenLanguage, Map<string, string>>()
beforeAll(async () => {
  for (const language of [...LANGUAGES, PSEUDO_LANGUAGE] as const) {
    await loadLanguage(language)
    catalogues.set(language, flatten(i18n.global.getLocaleMessage(language) as unknown as Tree))
  }
})

const english = flatten(en as unknown as Tree)
const source = filesUnder(join(ROOT, 'src'), ['.ts', '.vue'])
  .filter((file) => !file.includes(join('src', 'i18n', 'locales')))
  .map((file) => readFileSync(file, 'utf8'))
  .join('\n')

/** Keys written whole in the source: `t('a.b')`, `$t('a.b', …)`, `phrase('a.b')`… */
const CALL = /(?:\$t|\bt|\btp|\btranslate|\bphrase|\bword)\(\s*'([a-zA-Z_.]+)'/g
/** Keys made from a prefix and a code: `t(\`refusal.${code}\`)`. */
const PREFIX_CALL = /(?:\$t|\bt|\btp|\btranslate|\bphrase|\bte)\(\s*`([a-zA-Z_.]+\.)\$\{/g
const usedKeys = new Set([...source.matchAll(CALL)].map((m) => m[1] as string))
const usedPrefixes = new Set([...source.matchAll(PREFIX_CALL)].map((m) => m[1] as string))
// labelWords in src/services/print/documents.ts asks for its words by name: `word('from')`.
for (const key of [...usedKeys]) if (!key.includes('.')) usedKeys.add(`paper.label.${key}`)

const placeholders = (message: string) => new Set([...message.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))

function codesOfType(file: string, type: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8')
  const block = new RegExp(`export type ${type} =([^;]*?)(?:\\n\\n|\\nexport)`).exec(text)?.[1] ?? ''
  return [...block.matchAll(/'([A-Z_]+)'/g)].map((m) => m[1] as string)
}

describe('the catalogues', () => {
  it('has every key of the English catalogue in every language, and no other', () => {
    for (const [language, messages] of catalogues) {
      expect([...messages.keys()].sort(), language).toEqual([...english.keys()].sort())
      for (const [key, message] of messages) expect(message.trim(), `${language} ${key}`).not.toBe('')
    }
  })

  it('uses every key somewhere in the app', () => {
    const unused = [...english.keys()].filter((key) => !usedKeys.has(key) && ![...usedPrefixes].some((prefix) => key.startsWith(prefix)))
    expect(unused).toEqual([])
  })

  it('has every key the app asks for', () => {
    const missing = [...usedKeys].filter((key) => key.includes('.') && !english.has(key))
    expect(missing).toEqual([])
  })

  it('says every refusal, warning and scan verdict', () => {
    const refusals = codesOfType('core/status.ts', 'RefusalCode')
    const warnings = codesOfType('core/status.ts', 'WarningCode')
    expect(refusals.length).toBeGreaterThan(10)
    expect(warnings.length).toBeGreaterThan(5)
    for (const code of refusals) expect(english.has(`refusal.${code}`), code).toBe(true)
    for (const code of warnings) expect(english.has(`warning.${code}`), code).toBe(true)
    for (const verdict of SCAN_VERDICTS) expect(english.has(`scan.verdict.${verdict}`), verdict).toBe(true)
  })

  it('says every problem code the station sends', () => {
    const server = filesUnder(join(ROOT, 'server'), ['.ts']).map((file) => readFileSync(file, 'utf8')).join('\n')
    const sent = /(?:sendProblem\(\s*reply,\s*\d+,|problem\(\s*\d+,|code: error\.code \?\?)\s*(?:[\w.]+\s*\?\?\s*)?'([A-Z][A-Z_]+)'/g
    const codes = new Set([...server.matchAll(sent)].map((m) => m[1] as string))
    expect(codes.size).toBeGreaterThan(15)
    for (const code of codes) expect(english.has(`problem.${code}`) || english.has(`refusal.${code}`), code).toBe(true)
  })

  it('takes the same values in every language', () => {
    for (const [language, messages] of catalogues) {
      for (const [key, message] of english) {
        const wanted = placeholders(message)
        const got = placeholders(messages.get(key) ?? '')
        // A plural's count may be left unsaid in one language's form ("one item" as "jedna položka").
        wanted.delete('n')
        got.delete('n')
        expect([...got].sort(), `${language} ${key}`).toEqual([...wanted].sort())
      }
    }
  })

  it('gives each plural its language’s forms (one more for zero where English has one)', () => {
    for (const [language, messages] of catalogues) {
      const forms = pluralCategories(language).length
      for (const [key, message] of english) {
        if (!message.includes(' | ')) continue
        const englishForms = message.split(' | ').length
        const own = (messages.get(key) ?? '').split(' | ').length
        expect(own, `${language} ${key}`).toBe(englishForms === 3 ? forms + 1 : forms)
      }
    }
  })

  it('compiles every message without eval, in every language', () => {
    for (const [language, messages] of catalogues) {
      for (const key of messages.keys()) {
        const said = i18n.global.t(key, {}, { locale: language, plural: 1 })
        expect(said, `${language} ${key}`).not.toBe(key)
      }
    }
  })
})
