import { describe, it, expect } from 'vitest'
import { PRODUCT_KINDS, renderProductPhoto } from '../../../simulator/mall/photos.ts'
import type { PhotoSpec, ProductKind } from '../../../simulator/mall/photos.ts'

/**
 * A small XML well-formedness checker (node has no DOMParser): walks the
 * document once, checking tag balance, attribute syntax, duplicate
 * attributes and that `<` / `&` only appear as markup or entities. Returns
 * the problem found, or null, plus the root element's name.
 */
function checkXml(doc: string): { error: string | null; root: string | null } {
  const stack: string[] = []
  let root: string | null = null
  let i = 0
  const entity = /^&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/
  const checkText = (text: string, where: string): string | null => {
    for (let j = text.indexOf('&'); j !== -1; j = text.indexOf('&', j + 1)) {
      if (!entity.test(text.slice(j))) return `bare & in ${where}`
    }
    return text.includes('<') ? `bare < in ${where}` : null
  }
  while (i < doc.length) {
    const lt = doc.indexOf('<', i)
    const text = lt === -1 ? doc.slice(i) : doc.slice(i, lt)
    const textError = checkText(text, 'text')
    if (textError) return { error: textError, root }
    if (text.trim() && stack.length === 0) return { error: 'text outside the root element', root }
    if (lt === -1) break
    if (doc.startsWith('<?', lt)) {
      const end = doc.indexOf('?>', lt)
      if (end === -1 || root) return { error: 'bad processing instruction', root }
      i = end + 2
      continue
    }
    if (doc.startsWith('<!--', lt)) {
      const end = doc.indexOf('-->', lt)
      if (end === -1) return { error: 'unterminated comment', root }
      i = end + 3
      continue
    }
    const gt = doc.indexOf('>', lt)
    if (gt === -1) return { error: 'unterminated tag', root }
    const tag = doc.slice(lt + 1, gt)
    if (tag.startsWith('/')) {
      const name = tag.slice(1).trim()
      if (stack.pop() !== name) return { error: `mismatched </${name}>`, root }
    } else {
      const selfClosing = tag.endsWith('/')
      const body = selfClosing ? tag.slice(0, -1) : tag
      const nameMatch = /^[A-Za-z_][\w:.-]*/.exec(body)
      if (!nameMatch) return { error: `bad tag <${tag}>`, root }
      const name = nameMatch[0]
      // The rest must be a sequence of name="value" pairs.
      const rest = body.slice(name.length)
      const attrRe = /\s+([A-Za-z_][\w:.-]*)="([^"]*)"/y
      const seen = new Set<string>()
      let pos = 0
      for (let m = attrRe.exec(rest); m; m = attrRe.exec(rest)) {
        const [, attr = '', value = ''] = m
        if (seen.has(attr)) return { error: `duplicate attribute ${attr} on <${name}>`, root }
        seen.add(attr)
        const valueError = checkText(value, `attribute ${attr}`)
        if (valueError) return { error: valueError, root }
        pos = attrRe.lastIndex
      }
      if (rest.slice(pos).trim() !== '') return { error: `bad attributes on <${name}>: ${rest.slice(pos)}`, root }
      if (stack.length === 0) {
        if (root) return { error: 'more than one root element', root }
        root = name
      }
      if (!selfClosing) stack.push(name)
    }
    i = gt + 1
  }
  return { error: stack.length ? `unclosed <${stack.join('>, <')}>` : null, root }
}

/** Ids are prefixed per SKU; compare drawings with the prefix removed. */
function withoutIdPrefix(svg: string): string {
  const prefix = /id="(ph[0-9a-z]+_)/.exec(svg)?.[1]
  return prefix ? svg.replaceAll(prefix, '') : svg
}

const COLOURS = ['#1f7a8c', '#d94f30', '#f2c14e', '#3a3a3a', '#f5f5f5', '#6a4c93', '#2d6a4f']

describe('renderProductPhoto', () => {
  it('has at least 16 kinds of product', () => {
    expect(new Set(PRODUCT_KINDS).size).toBe(PRODUCT_KINDS.length)
    expect(PRODUCT_KINDS.length).toBeGreaterThanOrEqual(16)
  })

  it.each(PRODUCT_KINDS.map((kind) => [kind]))('draws a well-formed, self-contained 400x400 SVG of a %s', (kind) => {
    for (const [i, colour] of COLOURS.entries()) {
      const spec: PhotoSpec = { sku: `${kind}-${i}`, kind, colour, ...(i % 2 ? { label: 'Acme 500 ml' } : {}) }
      const svg = renderProductPhoto(spec)
      const { error, root } = checkXml(svg)
      expect(error).toBeNull()
      expect(root).toBe('svg')
      expect(svg.match(/<svg\b/g)).toHaveLength(1)
      expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="400" height="400" viewBox="0 0 400 400"/)
      expect(svg).not.toMatch(/undefined|NaN|Infinity|null/)
      // Nothing external, nothing executable.
      expect(svg).not.toMatch(/<script|<image|<foreignObject|href=|\bon[a-z]+=|url\((?!#)/i)
      expect(Buffer.byteLength(svg)).toBeLessThan(6 * 1024)
      // It is a drawing, not a swatch: several shapes in the product's colour.
      expect(svg.match(/<(path|rect|ellipse|circle)\b/g)?.length ?? 0).toBeGreaterThan(6)
      expect(svg).toContain(`stop-color="${colour}"`)
    }
  })

  it('is deterministic', () => {
    const spec: PhotoSpec = { sku: 'MUG-001', kind: 'mug', colour: '#1f7a8c', label: 'Morning' }
    expect(renderProductPhoto({ ...spec })).toBe(renderProductPhoto({ ...spec }))
  })

  it('gives 60 products spread over kinds and colours 60 different pictures', () => {
    const pictures = new Set<string>()
    for (let i = 0; i < 60; i++) {
      const kind = PRODUCT_KINDS[i % PRODUCT_KINDS.length] as ProductKind
      const colour = COLOURS[i % COLOURS.length] as string
      pictures.add(withoutIdPrefix(renderProductPhoto({ sku: `DEMO-${1000 + i}`, kind, colour })))
    }
    expect(pictures.size).toBe(60)
  })

  it('varies products of the same kind and colour by SKU', () => {
    for (const kind of PRODUCT_KINDS) {
      const a = withoutIdPrefix(renderProductPhoto({ sku: 'SAME-1', kind, colour: '#d94f30' }))
      const b = withoutIdPrefix(renderProductPhoto({ sku: 'SAME-2', kind, colour: '#d94f30' }))
      expect(a).not.toBe(b)
    }
  })

  it('decorates the surfaces of different SKUs differently (stripes, dots, bands...)', () => {
    // The first shape inside a <pattern> tells stripes (rect), dots (circle)
    // and zigzag (path) apart; no pattern at all means plain or band.
    const decorations = new Set<string>()
    for (let i = 0; i < 30; i++) {
      const svg = renderProductPhoto({ sku: `MUG-${i}`, kind: 'mug', colour: '#1f7a8c' })
      decorations.add(/<pattern [^>]*>(<\w+)/.exec(svg)?.[1] ?? 'plain')
    }
    expect(decorations.size).toBeGreaterThanOrEqual(3)
  })

  it('escapes the label and keeps the document well-formed', () => {
    const svg = renderProductPhoto({ sku: 'X-1', kind: 'book', colour: '#123456', label: `<Tom & "Jerry">` })
    expect(svg).toContain('&lt;Tom &amp; &quot;Jerry&quot;&gt;')
    expect(svg).not.toContain('<Tom')
    expect(checkXml(svg).error).toBeNull()
    expect(svg).toMatch(/<text [^>]*font-family="sans-serif"/)
  })

  it('shortens long labels without cutting an entity in half', () => {
    const svg = renderProductPhoto({ sku: 'X-2', kind: 'box', colour: '#123456', label: 'Fish & Chips & Peas & Gravy' })
    expect(checkXml(svg).error).toBeNull()
    expect(svg).toContain('Fish &amp; Chips &amp; …')
  })

  it('never copies an invalid colour into the markup', () => {
    const svg = renderProductPhoto({ sku: 'X-3', kind: 'mug', colour: 'red" onload="alert(1)' })
    expect(svg).not.toContain('onload')
    expect(checkXml(svg).error).toBeNull()
    // Short hex is expanded.
    expect(renderProductPhoto({ sku: 'X-4', kind: 'mug', colour: '#f80' })).toContain('stop-color="#ff8800"')
  })
})
