import type { Catalogue } from './catalogue'

/**
 * The pseudo-language `en-XA`: English with accents, about 40 % longer, in brackets. A string on
 * screen without accents was left out of the catalogue; a layout that breaks in it breaks in
 * Hungarian or Polish too. Placeholders (`{name}`), linked messages and plural forms stay as they are.
 */
const ACCENTED: Readonly<Record<string, string>> = {
  a: 'á', b: 'ƀ', c: 'ç', d: 'ð', e: 'é', f: 'ƒ', g: 'ĝ', h: 'ĥ', i: 'í', j: 'ĵ', k: 'ķ', l: 'ļ', m: 'ɱ',
  n: 'ñ', o: 'ö', p: 'þ', q: 'ǫ', r: 'ŕ', s: 'š', t: 'ţ', u: 'û', v: 'ṽ', w: 'ŵ', x: 'ẋ', y: 'ý', z: 'ž',
  A: 'Á', B: 'Ɓ', C: 'Ç', D: 'Ð', E: 'É', F: 'Ƒ', G: 'Ĝ', H: 'Ĥ', I: 'Í', J: 'Ĵ', K: 'Ķ', L: 'Ļ', M: 'Ṁ',
  N: 'Ñ', O: 'Ö', P: 'Þ', Q: 'Ǫ', R: 'Ŕ', S: 'Š', T: 'Ţ', U: 'Û', V: 'Ṽ', W: 'Ŵ', X: 'Ẋ', Y: 'Ý', Z: 'Ž',
}

/** One form of a message in the pseudo-language. */
export function pseudoText(text: string): string {
  // Placeholders and vue-i18n's literal syntax ({'@'}) are kept whole.
  const accented = text
    .split(/(\{[^}]*\})/)
    .map((part) => (part.startsWith('{') ? part : [...part].map((ch) => ACCENTED[ch] ?? ch).join('')))
    .join('')
  const letters = text.replace(/\{[^}]*\}/g, '').length
  const padding = '~'.repeat(Math.ceil(letters * 0.4))
  return `[${accented}${padding ? ` ${padding}` : ''}]`
}

function pseudoMessage(message: string): string {
  return message
    .split(' | ')
    .map((form) => pseudoText(form))
    .join(' | ')
}

type Tree = { [key: string]: string | Tree }

function walk(tree: Tree): Tree {
  const out: Tree = {}
  for (const [key, value] of Object.entries(tree)) out[key] = typeof value === 'string' ? pseudoMessage(value) : walk(value)
  return out
}

export function pseudoCatalogue(english: Catalogue): Catalogue {
  return walk(english as unknown as Tree) as unknown as Catalogue
}
