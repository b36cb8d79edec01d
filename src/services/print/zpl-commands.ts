/** Reading ZPL: the document as commands, and the field data escapes (`^FH`, `^FB`). */

export interface Command {
  name: string
  params: string
}

/**
 * The document as commands. The printer ignores line breaks, so they are dropped first. `^A` takes
 * its font as the next character (`^A0N,40,40` is font 0), every other command has a two-letter
 * name; `~` commands are kept with their tilde so they are never mistaken for formats.
 */
export function commands(zpl: string): Command[] {
  const text = zpl.replace(/[\r\n]/g, '')
  const starts: number[] = []
  for (let i = 0; i < text.length; i++) if (text[i] === '^' || text[i] === '~') starts.push(i)
  return starts.map((start, i) => {
    const body = text.slice(start + 1, starts[i + 1] ?? text.length)
    if (text[start] === '~') return { name: `~${body.slice(0, 2).toUpperCase()}`, params: body.slice(2) }
    if (body[0]?.toUpperCase() === 'A') return { name: 'A', params: body.slice(1) }
    return { name: body.slice(0, 2).toUpperCase(), params: body.slice(2) }
  })
}

export const args = (params: string): string[] => params.split(',').map((p) => p.trim())
export const int = (value: string | undefined, fallback: number): number => {
  const n = Number.parseInt(value ?? '', 10)
  return Number.isFinite(n) ? n : fallback
}

/** `^FH` data: `<indicator>XX` is a byte; the bytes are UTF-8 (`^CI28`). */
export function decodeHex(data: string, indicator: string): string {
  const bytes: number[] = []
  const encoder = new TextEncoder()
  for (let i = 0; i < data.length; i++) {
    const hex = data.slice(i + 1, i + 3)
    if (data[i] === indicator && /^[0-9a-fA-F]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16))
      i += 2
    } else {
      const codePoint = data.codePointAt(i)!
      const char = String.fromCodePoint(codePoint)
      bytes.push(...encoder.encode(char))
      i += char.length - 1
    }
  }
  return new TextDecoder().decode(new Uint8Array(bytes))
}

/** `^FB`'s own escapes: `\&` breaks the line, `\\` is a backslash. */
export function blockParagraphs(data: string): string[] {
  const paragraphs: string[] = []
  let current = ''
  for (let i = 0; i < data.length; i++) {
    const pair = data.slice(i, i + 2)
    if (pair === '\\&') {
      paragraphs.push(current)
      current = ''
      i++
    } else if (pair === '\\\\') {
      current += '\\'
      i++
    } else {
      current += data[i]
    }
  }
  paragraphs.push(current)
  return paragraphs
}
