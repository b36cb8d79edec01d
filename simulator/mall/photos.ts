/**
 * Generated product "photos" for the simulator's demo shop.
 *
 * Every product gets a small SVG illustration: a drawing of its kind of
 * product in its colour, on a soft studio-style background with a floor
 * shadow. A few details (surface pattern, tilt, size, position, background
 * tint, kind-specific proportions) are derived from the SKU, so two products
 * of the same kind and colour still look different, while the same product
 * always renders the same bytes (the output is a pure function of the spec).
 *
 * The documents are self-contained: no scripts, no external references, no
 * embedded images; the only text is the optional short label printed on the
 * product (generic `sans-serif`).
 */

export const PRODUCT_KINDS = [
  'mug',
  'kettle',
  'bottle',
  'box',
  'shoe',
  't-shirt',
  'book',
  'lamp',
  'headphones',
  'backpack',
  'plant-pot',
  'ball',
  'phone',
  'watch',
  'toy-car',
  'tin-can',
  'jar',
  'candle',
  'cap',
  'socks',
  'towel',
  'scissors',
  'umbrella',
  'frying-pan',
] as const

export type ProductKind = (typeof PRODUCT_KINDS)[number]

export interface PhotoSpec {
  sku: string
  kind: ProductKind
  /** CSS hex colour such as `#1f7a8c` (`#rgb` is accepted too). */
  colour: string
  /** Short text printed on the product where there is room for it. */
  label?: string
}

// ---------------------------------------------------------------------------
// Small utilities

/** FNV-1a, 32 bit: a stable string hash (no crypto needed, only spread). */
function hash(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

/** mulberry32: tiny seeded PRNG, so variations are reproducible per SKU. */
function rng(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Compact number formatting: one decimal at most, never `-0`. */
function n(value: number): string {
  return String(Number(value.toFixed(1)) + 0)
}

function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
}

type Rgb = readonly [number, number, number]

const FALLBACK_COLOUR: Rgb = [0x8a, 0x94, 0xa6]

/**
 * Parses `#rgb` / `#rrggbb`. Anything else falls back to a neutral grey:
 * the colour ends up inside attributes, so it must never be copied verbatim.
 */
function parseHex(colour: string): Rgb {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(colour.trim())
  if (!m?.[1]) return FALLBACK_COLOUR
  const hex = m[1].length === 3 ? [...m[1]].map((c) => c + c).join('') : m[1]
  return [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16)) as unknown as Rgb
}

function toHex(rgb: Rgb): string {
  return '#' + rgb.map((c) => Math.round(Math.min(255, Math.max(0, c))).toString(16).padStart(2, '0')).join('')
}

/** Linear blend of `a` towards `b`; t = 0 gives a, t = 1 gives b. */
function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t]
}

const WHITE: Rgb = [255, 255, 255]
const BLACK: Rgb = [0, 0, 0]

function luminance([r, g, b]: Rgb): number {
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255
}

/** Soft studio background tints; one is picked per SKU. */
const BACKDROPS: readonly Rgb[] = [
  [0xc9, 0xd8, 0xe8],
  [0xe8, 0xd9, 0xc4],
  [0xd4, 0xe6, 0xd0],
  [0xe6, 0xd0, 0xdc],
  [0xdd, 0xd6, 0xea],
  [0xd0, 0xe4, 0xe4],
  [0xea, 0xe2, 0xc8],
  [0xdc, 0xdc, 0xdc],
]

// ---------------------------------------------------------------------------
// Drawing vocabulary shared by the kind drawers

/** Colours and paint servers available to a drawer. */
interface Paint {
  /** Gradient in the product colour (lit from the left). */
  body: string
  /** Brushed-steel gradient for metal parts. */
  metal: string
  base: string
  light: string
  dark: string
  darker: string
  /** Kind-specific proportion variation in [0, 1). */
  v: number
}

interface Drawing {
  /** Product parts drawn below the surface decoration. */
  back: string
  /**
   * The main surface that receives the SKU's pattern (and the label): plain
   * geometry used as a clip path, plus its bounding box [x, y, w, h].
   */
  decor?: { shape: string; box: readonly [number, number, number, number]; label?: boolean }
  /** Parts drawn over the decoration (handles, lids, highlights...). */
  front?: string
}

type Attrs = Record<string, string | number>

function attrs(a: Attrs): string {
  return Object.entries(a)
    .map(([k, val]) => ` ${k}="${typeof val === 'number' ? n(val) : val}"`)
    .join('')
}

const rect = (x: number, y: number, w: number, h: number, a: Attrs = {}): string =>
  `<rect${attrs({ x, y, width: w, height: h, ...a })}/>`
const ellipse = (cx: number, cy: number, rx: number, ry: number, a: Attrs = {}): string =>
  `<ellipse${attrs({ cx, cy, rx, ry, ...a })}/>`
const circle = (cx: number, cy: number, r: number, a: Attrs = {}): string => `<circle${attrs({ cx, cy, r, ...a })}/>`
const path = (d: string, a: Attrs = {}): string => `<path${attrs({ d, ...a })}/>`
/** An unfilled stroke, e.g. handles and seams (overrides the outline stroke). */
const line = (d: string, stroke: string, width: number, a: Attrs = {}): string =>
  path(d, { fill: 'none', stroke, 'stroke-width': width, ...a })
/** A ring as one path (even-odd), so it can also serve as clip geometry. */
const ring = (cx: number, cy: number, r: number, w: number, a: Attrs = {}): string => {
  const ri = r - w
  return path(
    `M${n(cx - r)} ${n(cy)}a${n(r)} ${n(r)} 0 1 0 ${n(2 * r)} 0a${n(r)} ${n(r)} 0 1 0 ${n(-2 * r)} 0Z` +
      `M${n(cx - ri)} ${n(cy)}a${n(ri)} ${n(ri)} 0 1 0 ${n(2 * ri)} 0a${n(ri)} ${n(ri)} 0 1 0 ${n(-2 * ri)} 0Z`,
    { 'fill-rule': 'evenodd', 'clip-rule': 'evenodd', ...a },
  )
}
const highlight = (x: number, y: number, w: number, h: number): string =>
  rect(x, y, w, h, { rx: w / 2, fill: '#fff', 'fill-opacity': 0.3, stroke: 'none' })

const GREEN = '#3f8f52'
const GREEN_LIGHT = '#67b36f'
const GLASS = '#d6ecf7'
const RUBBER = '#2e2f33'

// ---------------------------------------------------------------------------
// One drawer per kind. Coordinates are in the 400x400 viewBox; products stand
// on an imaginary floor around y = 310.

const DRAWERS: Record<ProductKind, (p: Paint) => Drawing> = {
  mug(p) {
    const h = 130 + p.v * 40
    const y = 300 - h
    const body = `M130 ${n(y)}V296A60 14 0 0 0 250 296V${n(y)}Z`
    return {
      back:
        line(`M246 ${n(y + 28)}C304 ${n(y + 24)} 304 ${n(y + 104)} 246 ${n(y + 100)}`, p.dark, 16) +
        path(body, { fill: p.body }),
      decor: { shape: path(body), box: [130, y, 120, h] },
      front:
        ellipse(190, y, 60, 12, { fill: p.light }) +
        ellipse(190, y + 1, 51, 8, { fill: p.darker }) +
        highlight(142, y + 22, 9, h - 44),
    }
  },

  kettle(p) {
    const body = 'M122 292Q112 200 156 168H244Q288 200 278 292Z'
    return {
      back:
        line('M272 186C332 190 332 272 278 280', p.dark, 16) +
        path('M132 208L96 178L102 170L146 190Z', { fill: p.dark }) +
        path(body, { fill: p.body }),
      decor: { shape: path(body), box: [118, 168, 164, 124] },
      front:
        rect(112, 286, 176, 20, { rx: 8, fill: p.darker }) +
        ellipse(200, 168, 46, 9, { fill: p.light }) +
        rect(188, 148, 24, 16, { rx: 5, fill: p.dark }) +
        rect(248, 200, 10, 70 - p.v * 20, { rx: 5, fill: GLASS, 'fill-opacity': 0.8 }),
    }
  },

  bottle(p) {
    const top = 104 - p.v * 24
    const body = `M160 296V168Q160 138 182 126V${n(top)}H218V126Q240 138 240 168V296Q240 310 226 310H174Q160 310 160 296Z`
    return {
      back: path(body, { fill: p.body }),
      decor: { shape: rect(160, 180, 80, 104), box: [160, 180, 80, 104] },
      front:
        rect(174, top - 30, 52, 32, { rx: 6, fill: p.darker }) +
        line(`M182 ${n(top - 18)}H218`, p.dark, 3) +
        highlight(170, 160, 8, 130),
    }
  },

  box(p) {
    const lid = 140 - p.v * 20
    const front = `M108 ${n(lid + 40)}H252V310H108Z`
    return {
      back:
        path(`M108 ${n(lid + 40)}L158 ${n(lid)}H302L252 ${n(lid + 40)}Z`, { fill: p.light }) +
        path(`M252 ${n(lid + 40)}L302 ${n(lid)}V270L252 310Z`, { fill: p.dark }) +
        path(front, { fill: p.body }),
      decor: { shape: path(front), box: [108, lid + 40, 144, 270 - lid] },
      front: path(`M176 ${n(lid + 40)}L226 ${n(lid)}H246L196 ${n(lid + 40)}Z`, {
        fill: '#e8d6a8',
        'fill-opacity': 0.85,
        stroke: 'none',
      }),
    }
  },

  shoe(p) {
    const upper = 'M96 282V204C96 178 110 166 132 166H166C178 186 196 196 218 200L258 212C302 224 340 244 344 282Z'
    const laces = [0, 1, 2, 3]
      .map((i) => `M${186 + i * 18} ${200 + i * 4}l10 -16`)
      .join('')
    return {
      back: path(upper, { fill: p.body }),
      decor: { shape: path(upper), box: [96, 166, 248, 116], label: false },
      front:
        line(laces, '#f7f7f7', 5) +
        path('M90 278H350Q358 300 338 304H100Q86 300 90 278Z', { fill: '#f4f4f2' }) +
        path('M290 224C320 236 340 254 344 278H300Z', { fill: p.dark, 'fill-opacity': 0.6 }),
    }
  },

  't-shirt'(p) {
    const sleeve = 24 + p.v * 16
    const shirt =
      `M152 108L112 122L${n(84 - sleeve)} ${n(160 + sleeve)}L${n(118 - sleeve / 2)} ${n(186 + sleeve)}L132 176V318H268V176` +
      `L${n(282 + sleeve / 2)} ${n(186 + sleeve)}L${n(316 + sleeve)} ${n(160 + sleeve)}L288 122L248 108Q200 146 152 108Z`
    return {
      back: path(shirt, { fill: p.body }),
      decor: { shape: path(shirt), box: [132, 150, 136, 168] },
      front: line('M152 108Q200 152 248 108', p.darker, 6),
    }
  },

  book(p) {
    const w = 140 + p.v * 30
    const x = 200 - w / 2
    return {
      back:
        path(`M${n(x + w)} 92L${n(x + w + 18)} 106V312L${n(x + w)} 300Z`, { fill: '#f3efe3' }) +
        line(`M${n(x + w + 6)} 104V302M${n(x + w + 12)} 108V306`, '#cfc6ae', 1.5) +
        rect(x, 92, w, 208, { rx: 4, fill: p.body }),
      decor: { shape: rect(x + 14, 92, w - 14, 208), box: [x + 14, 92, w - 14, 208] },
      front: rect(x, 92, 14, 208, { rx: 3, fill: p.dark }) + line(`M${n(x + 14)} 96V296`, p.darker, 2),
    }
  },

  lamp(p) {
    const shade = 'M142 104H258L296 200H104Z'
    return {
      back:
        ellipse(200, 214, 70, 18, { fill: '#fff6c8', 'fill-opacity': 0.7, stroke: 'none' }) +
        rect(194, 196, 12, 102, { fill: p.metal }) +
        ellipse(200, 300, 62, 14, { fill: p.dark }) +
        path(shade, { fill: p.body }),
      decor: { shape: path(shade), box: [104, 104, 192, 96] },
      front: ellipse(200, 104, 58, 6, { fill: p.light }),
    }
  },

  headphones(p) {
    const cups = rect(90, 196, 46, 88, { rx: 20 }) + rect(264, 196, 46, 88, { rx: 20 })
    return {
      back:
        line('M112 214C106 96 294 96 288 214', p.base, 18) +
        line('M118 200C116 112 284 112 282 200', p.darker, 6) +
        rect(132, 206, 18, 68, { rx: 8, fill: RUBBER }) +
        rect(250, 206, 18, 68, { rx: 8, fill: RUBBER }) +
        cups.replace(/\/>/g, ` fill="${p.body}"/>`),
      decor: { shape: cups, box: [90, 196, 220, 88], label: false },
    }
  },

  backpack(p) {
    return {
      back:
        line('M170 112C170 78 230 78 230 112', p.darker, 10) +
        rect(108, 140, 16, 150, { rx: 8, fill: p.darker }) +
        rect(276, 140, 16, 150, { rx: 8, fill: p.darker }) +
        rect(118, 106, 164, 206, { rx: 44, fill: p.body }),
      decor: { shape: rect(118, 106, 164, 206, { rx: 44 }), box: [118, 106, 164, 100] },
      front:
        rect(144, 214 - p.v * 20, 112, 86 + p.v * 20, { rx: 18, fill: p.dark }) +
        line(`M152 ${n(232 - p.v * 20)}H248`, p.light, 3, { 'stroke-dasharray': '6 4' }) +
        rect(240, 226 - p.v * 20, 6, 16, { rx: 2, fill: p.metal }),
    }
  },

  'plant-pot'(p) {
    // A leaf pointing straight up from the soil, then rotated into place.
    const leaf = (angle: number, len: number, fill: string): string => {
      const w = len * 0.28
      return path(
        `M200 224C${n(200 - w)} ${n(224 - len * 0.4)} ${n(200 - w * 0.6)} ${n(224 - len * 0.85)} 200 ${n(224 - len)}` +
          `C${n(200 + w * 0.6)} ${n(224 - len * 0.85)} ${n(200 + w)} ${n(224 - len * 0.4)} 200 224Z`,
        { fill, transform: `rotate(${n(angle)} 200 224)`, stroke: '#2f6b3d' },
      )
    }
    const leaves = [-56, -30, -8, 16, 40, 62]
      .map((a, i) => leaf(a + p.v * 10, 80 + ((i * 37 + p.v * 50) % 50), i % 2 ? GREEN : GREEN_LIGHT))
      .join('')
    const pot = 'M142 234H258L246 316H154Z'
    return {
      back: leaves + path(pot, { fill: p.body }),
      decor: { shape: path(pot), box: [142, 240, 116, 76] },
      front: rect(132, 220, 136, 24, { rx: 5, fill: p.light }),
    }
  },

  ball(p) {
    const r = 92 + p.v * 14
    const cy = 312 - r
    return {
      back: circle(200, cy, r, { fill: p.body }),
      decor: { shape: circle(200, cy, r), box: [200 - r, cy - r / 3, 2 * r, (2 * r) / 3] },
      front:
        line(
          `M${n(200 - r)} ${n(cy)}Q200 ${n(cy + r * 0.5)} ${n(200 + r)} ${n(cy)}M200 ${n(cy - r)}Q${n(200 - r * 0.45)} ${n(cy)} 200 ${n(cy + r)}`,
          p.darker,
          3,
        ) + ellipse(200 - r * 0.4, cy - r * 0.45, r * 0.26, r * 0.15, { fill: '#fff', 'fill-opacity': 0.4, stroke: 'none' }),
    }
  },

  phone(p) {
    return {
      back: rect(136, 66, 128, 250, { rx: 22, fill: p.body }) + rect(146, 80, 108, 222, { rx: 12, fill: '#1d2733' }),
      decor: { shape: rect(146, 80, 108, 222, { rx: 12 }), box: [146, 150, 108, 80] },
      front:
        rect(184, 86, 32, 8, { rx: 4, fill: RUBBER, stroke: 'none' }) +
        rect(264, 130, 4, 36, { rx: 2, fill: p.dark }) +
        rect(180, 290, 40, 4, { rx: 2, fill: '#fff', 'fill-opacity': 0.6, stroke: 'none' }) +
        path('M150 84H200L150 200Z', { fill: '#fff', 'fill-opacity': 0.08, stroke: 'none' }),
    }
  },

  watch(p) {
    const strap = rect(172, 56, 56, 100, { rx: 12 }) + rect(172, 244, 56, 100, { rx: 12 })
    // Twelve hour ticks around the dial.
    const ticks = Array.from({ length: 12 }, (_, i) => {
      const a = (i * Math.PI) / 6
      return `M${n(200 + Math.sin(a) * 44)} ${n(200 - Math.cos(a) * 44)}L${n(200 + Math.sin(a) * 50)} ${n(200 - Math.cos(a) * 50)}`
    }).join('')
    const hour = p.v * Math.PI * 2
    return {
      back: strap.replace(/\/>/g, ` fill="${p.body}"/>`),
      decor: { shape: strap, box: [172, 56, 56, 288], label: false },
      front:
        rect(258, 190, 12, 20, { rx: 3, fill: p.metal }) +
        circle(200, 200, 64, { fill: p.metal }) +
        circle(200, 200, 54, { fill: '#fbfbf8' }) +
        line(ticks, RUBBER, 3) +
        line(
          `M200 200L${n(200 + Math.sin(hour) * 28)} ${n(200 - Math.cos(hour) * 28)}M200 200L${n(200 + Math.sin(hour * 12) * 42)} ${n(200 - Math.cos(hour * 12) * 42)}`,
          RUBBER,
          4,
        ) +
        circle(200, 200, 4, { fill: p.dark }),
    }
  },

  'toy-car'(p) {
    const body =
      'M78 276V238Q78 222 98 220L140 214L172 170Q178 162 190 162H258Q270 162 278 172L306 212L326 216Q342 220 342 238V276Z'
    const wheel = (x: number): string => circle(x, 276, 28, { fill: RUBBER }) + circle(x, 276, 11, { fill: p.metal })
    return {
      back: path(body, { fill: p.body }),
      decor: { shape: path(body), box: [78, 220, 264, 56] },
      front:
        path('M152 214L178 178H222V214Z', { fill: GLASS }) +
        path('M234 214V178H266L288 214Z', { fill: GLASS }) +
        rect(326, 228, 12, 10, { rx: 3, fill: '#ffe08a' }) +
        wheel(132) +
        wheel(290),
    }
  },

  'tin-can'(p) {
    const h = 170 + p.v * 30
    const top = 306 - h
    return {
      back:
        path(`M138 ${n(top)}V306A62 13 0 0 0 262 306V${n(top)}Z`, { fill: p.metal }) +
        rect(138, top + 24, 124, h - 46, { fill: p.body }),
      decor: { shape: rect(138, top + 24, 124, h - 46), box: [138, top + 24, 124, h - 46] },
      front:
        ellipse(200, top, 62, 13, { fill: p.metal }) +
        ellipse(200, top, 52, 9, { fill: 'none' }) +
        line(`M138 ${n(top + 12)}A62 13 0 0 0 262 ${n(top + 12)}`, '#9aa1a9', 2),
    }
  },

  jar(p) {
    const glass = 'M134 160Q134 138 156 134H244Q266 138 266 160V290Q266 312 244 312H156Q134 312 134 290Z'
    const fill = 170 - p.v * 20
    return {
      back:
        path(glass, { fill: GLASS, 'fill-opacity': 0.7 }) +
        path(`M140 ${n(fill)}H260V290Q260 306 244 306H156Q140 306 140 290Z`, { fill: p.dark, stroke: 'none' }),
      decor: { shape: rect(134, 198, 132, 72), box: [134, 198, 132, 72] },
      front:
        rect(134, 198, 132, 72, { fill: p.light, 'fill-opacity': 0.55 }) +
        rect(144, 104, 112, 34, { rx: 6, fill: p.metal }) +
        line('M150 116H250M150 126H250', '#9aa1a9', 2) +
        highlight(144, 150, 8, 140),
    }
  },

  candle(p) {
    const h = 140 + p.v * 40
    const top = 310 - h
    return {
      back:
        ellipse(200, top - 30, 34, 44, { fill: '#ffd866', 'fill-opacity': 0.25, stroke: 'none' }) +
        rect(158, top, 84, h, { rx: 6, fill: p.body }),
      decor: { shape: rect(158, top, 84, h, { rx: 6 }), box: [158, top + 30, 84, h - 40] },
      front:
        ellipse(200, top, 42, 9, { fill: p.light }) +
        line(`M200 ${n(top)}V${n(top - 12)}`, RUBBER, 3) +
        path(`M200 ${n(top - 50)}C214 ${n(top - 30)} 212 ${n(top - 12)} 200 ${n(top - 12)}C188 ${n(top - 12)} 186 ${n(top - 30)} 200 ${n(top - 50)}Z`, {
          fill: '#ffb53b',
          stroke: '#f08a24',
        }) +
        ellipse(200, top - 22, 4, 8, { fill: '#fff4c4', stroke: 'none' }),
    }
  },

  cap(p) {
    const crown = 'M108 262C104 156 296 156 292 262Z'
    return {
      back: path(crown, { fill: p.body }),
      decor: { shape: path(crown), box: [120, 200, 160, 50] },
      front:
        line('M200 181V262M150 200Q160 230 162 262M250 200Q240 230 238 262', p.darker, 2) +
        path(`M236 262C286 252 ${n(336 + p.v * 20)} 260 ${n(350 + p.v * 20)} 278C320 290 262 286 226 272Z`, { fill: p.dark }) +
        circle(200, 178, 8, { fill: p.dark }),
    }
  },

  socks(p) {
    const sock = 'M150 84H210V226C210 246 220 256 240 264L276 280C302 292 298 330 270 330H200C164 330 150 304 150 278Z'
    const behind = 'translate(46 -16)'
    // Cuff and toe in a darker shade; `extra` moves the copy for the back sock.
    const accents = (extra: Attrs = {}): string =>
      rect(150, 84, 60, 28, { fill: p.darker, ...extra }) +
      path('M252 270L276 280C302 292 298 330 270 330H252Z', { fill: p.dark, ...extra })
    return {
      back: path(sock, { fill: p.dark, transform: behind }) + accents({ transform: behind }) + path(sock, { fill: p.body }),
      decor: { shape: path(sock), box: [150, 84, 60, 246], label: false },
      front: accents() + line('M156 92H204M156 100H204', p.light, 2),
    }
  },

  towel(p) {
    const layers = [0, 1, 2].map((i) => ({ y: 236 - i * 56, x: 96 + (i % 2) * 8 * (p.v - 0.5) }))
    const shapes = layers.map(({ x, y }) => rect(x, y, 208, 58, { rx: 24 })).join('')
    return {
      back: layers.map(({ x, y }) => rect(x, y, 208, 58, { rx: 24, fill: p.body })).join(''),
      decor: { shape: shapes, box: [96, 124, 208, 58], label: false },
      front: layers
        .map(({ x, y }) => line(`M${n(x + 14)} ${n(y + 44)}H${n(x + 194)}`, p.light, 2, { 'stroke-dasharray': '5 4' }))
        .join(''),
    }
  },

  scissors(p) {
    const spread = 8 + p.v * 10
    const rings = ring(158, 272, 36, 12) + ring(242, 272, 36, 12)
    return {
      back:
        path(`M192 206L${n(222 + spread)} 70L${n(232 + spread)} 76L210 210Z`, { fill: p.metal }) +
        path(`M208 206L${n(178 - spread)} 70L${n(168 - spread)} 76L190 210Z`, { fill: p.metal }) +
        path('M190 196L170 240L184 244L206 204Z', { fill: p.body }) +
        path('M210 196L230 240L216 244L194 204Z', { fill: p.body }) +
        rings.replace(/\/>/g, ` fill="${p.body}"/>`),
      decor: { shape: rings, box: [122, 236, 156, 72], label: false },
      front: circle(200, 202, 7, { fill: p.metal }) + circle(200, 202, 2.5, { fill: RUBBER }),
    }
  },

  umbrella(p) {
    const canopy =
      'M78 202Q92 94 200 92Q308 94 322 202Q302 188 282 202Q262 188 241 202Q221 188 200 202Q179 188 159 202Q138 188 118 202Q98 188 78 202Z'
    return {
      back:
        line(`M200 200V296Q200 ${n(322 + p.v * 6)} 178 ${n(322 + p.v * 6)}Q160 ${n(322 + p.v * 6)} 160 304`, RUBBER, 8) +
        path(canopy, { fill: p.body }),
      decor: { shape: path(canopy), box: [110, 130, 180, 50] },
      front:
        line('M200 94Q160 130 159 202M200 94Q240 130 241 202M200 94Q118 110 118 202M200 94Q282 110 282 202', p.darker, 1.5) +
        rect(197, 74, 6, 20, { rx: 2, fill: RUBBER }),
    }
  },

  'frying-pan'(p) {
    const rim = ellipse(170, 222, 108, 74)
    return {
      back:
        path('M262 206L352 176Q366 172 369 184Q372 196 358 200L270 230Z', { fill: RUBBER }) +
        rim.replace('/>', ` fill="${p.body}"/>`),
      decor: { shape: rim, box: [62, 148, 216, 148], label: false },
      front:
        ellipse(170, 216, 90, 58, { fill: '#34363b' }) +
        ellipse(150 + p.v * 20, 200, 46, 22, { fill: '#fff', 'fill-opacity': 0.07, stroke: 'none' }) +
        circle(284, 212, 4, { fill: p.metal }),
    }
  },
}

/** Half-width of each kind's floor shadow, before the per-SKU scale. */
const FOOTPRINT: Record<ProductKind, number> = {
  mug: 85, kettle: 110, bottle: 55, box: 120, shoe: 140, 't-shirt': 110, book: 100, lamp: 75,
  headphones: 120, backpack: 100, 'plant-pot': 75, ball: 80, phone: 75, watch: 60, 'toy-car': 140,
  'tin-can': 75, jar: 80, candle: 55, cap: 125, socks: 100, towel: 115, scissors: 85, umbrella: 70,
  'frying-pan': 150,
}

// ---------------------------------------------------------------------------
// Surface patterns (the main per-SKU variation)

const PATTERNS = ['none', 'stripes', 'diagonal', 'dots', 'checks', 'zigzag', 'band'] as const
type PatternKind = (typeof PATTERNS)[number]

function patternDef(id: string, kind: PatternKind, size: number, ink: string, opacity: number): string {
  const s = n(size)
  const h = n(size / 2)
  const open = (w: string, transform = ''): string =>
    `<pattern id="${id}" width="${w}" height="${w}" patternUnits="userSpaceOnUse"${transform}>`
  const paint = `fill="${ink}" fill-opacity="${n(opacity)}"`
  switch (kind) {
    case 'stripes':
      return `${open(s)}<rect width="${s}" height="${h}" ${paint}/></pattern>`
    case 'diagonal':
      return `${open(s, ' patternTransform="rotate(45)"')}<rect width="${h}" height="${s}" ${paint}/></pattern>`
    case 'dots':
      return `${open(s)}<circle cx="${h}" cy="${h}" r="${n(size / 5)}" ${paint}/></pattern>`
    case 'checks':
      return `${open(n(size * 2))}<rect width="${s}" height="${s}" ${paint}/><rect x="${s}" y="${s}" width="${s}" height="${s}" ${paint}/></pattern>`
    case 'zigzag':
      return `${open(s)}<path d="M0 ${h}L${h} 0L${s} ${h}" fill="none" stroke="${ink}" stroke-opacity="${n(opacity)}" stroke-width="3"/></pattern>`
    case 'none':
    case 'band':
      return ''
  }
}

const MAX_LABEL_CHARS = 16

// ---------------------------------------------------------------------------

/** Renders the SVG document for one product. Deterministic in `spec`. */
export function renderProductPhoto(spec: PhotoSpec): string {
  const seed = hash(spec.sku)
  const rand = rng(seed)
  // Ids are prefixed per SKU so several photos can be inlined in one HTML
  // document without their gradients/clip paths colliding.
  const id = `ph${seed.toString(36)}_`

  const base = parseHex(spec.colour)
  const paint: Paint = {
    body: `url(#${id}b)`,
    metal: `url(#${id}m)`,
    base: toHex(base),
    light: toHex(mix(base, WHITE, 0.45)),
    dark: toHex(mix(base, BLACK, 0.3)),
    darker: toHex(mix(base, BLACK, 0.55)),
    v: 0,
  }

  // Draw every random number up front, in a fixed order, so adding a new
  // variation later only changes the photos if it's appended at the end.
  const pattern = PATTERNS[Math.floor(rand() * PATTERNS.length)] ?? 'none'
  const patternSize = 12 + Math.floor(rand() * 4) * 5
  const inkIsLight = rand() < 0.5
  const angle = (rand() - 0.5) * 14
  const scale = 0.92 + rand() * 0.16
  const dx = (rand() - 0.5) * 30
  const backdrop = BACKDROPS[Math.floor(rand() * BACKDROPS.length)] ?? FALLBACK_COLOUR
  const lightX = 20 + rand() * 60
  paint.v = rand()

  const drawing = DRAWERS[spec.kind](paint)
  // A light ink reads on dark products and vice versa; the per-SKU coin flip
  // only decides between "white" and "darker shade" where both would work.
  const lum = luminance(base)
  const ink = lum > 0.7 || (!inkIsLight && lum > 0.25) ? paint.darker : '#ffffff'
  const inkOpacity = ink === '#ffffff' ? 0.45 : 0.35

  const defs: string[] = [
    `<linearGradient id="${id}bg" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${toHex(mix(backdrop, WHITE, 0.6))}"/><stop offset="1" stop-color="${toHex(mix(backdrop, BLACK, 0.06))}"/></linearGradient>`,
    `<radialGradient id="${id}l" cx="${n(lightX)}%" cy="10%" r="70%"><stop offset="0" stop-color="#fff" stop-opacity=".7"/><stop offset="1" stop-color="#fff" stop-opacity="0"/></radialGradient>`,
    `<radialGradient id="${id}s"><stop offset="0" stop-color="#000" stop-opacity=".32"/><stop offset="1" stop-color="#000" stop-opacity="0"/></radialGradient>`,
    `<linearGradient id="${id}b"><stop offset="0" stop-color="${paint.light}"/><stop offset=".45" stop-color="${paint.base}"/><stop offset="1" stop-color="${paint.dark}"/></linearGradient>`,
    `<linearGradient id="${id}m"><stop offset="0" stop-color="#f3f5f7"/><stop offset=".5" stop-color="#c3c9d0"/><stop offset="1" stop-color="#8c939b"/></linearGradient>`,
  ]

  let decor = ''
  if (drawing.decor) {
    const [x, y, w, h] = drawing.decor.box
    defs.push(`<clipPath id="${id}c">${drawing.decor.shape}</clipPath>`)
    const layers: string[] = []
    if (pattern === 'band') {
      layers.push(rect(x - 40, y + h * 0.3, w + 80, h * 0.22, { fill: ink, 'fill-opacity': inkOpacity + 0.2 }))
    } else if (pattern !== 'none') {
      defs.push(patternDef(`${id}p`, pattern, patternSize, ink, inkOpacity))
      // Cover generously: the clip path trims the pattern to the surface.
      layers.push(rect(x - 200, y - 200, w + 400, h + 400, { fill: `url(#${id}p)` }))
    }
    const label = spec.label?.trim()
    if (label && drawing.decor.label !== false) {
      // Truncate before escaping so an entity is never cut in half.
      const text = [...label].length > MAX_LABEL_CHARS ? [...label].slice(0, MAX_LABEL_CHARS - 1).join('') + '…' : label
      // Rough average glyph width of a sans-serif face is ~0.58 em.
      const size = Math.max(8, Math.min(20, (w - 16) / ([...text].length * 0.58)))
      const cy = y + h / 2
      layers.push(
        rect(x - 2, cy - size * 0.9, w + 4, size * 1.8, { fill: '#fff', 'fill-opacity': 0.85 }),
        `<text x="${n(x + w / 2)}" y="${n(cy + size * 0.35)}" font-family="sans-serif" font-size="${n(size)}" font-weight="bold" text-anchor="middle" fill="${paint.darker}">${escapeXml(text)}</text>`,
      )
    }
    if (layers.length) decor = `<g clip-path="url(#${id}c)" stroke="none">${layers.join('')}</g>`
  }

  const transform = `translate(${n(200 + dx)} 200) rotate(${n(angle)}) scale(${scale.toFixed(2)}) translate(-200 -200)`
  const title = escapeXml(spec.label?.trim() || spec.kind)

  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400" viewBox="0 0 400 400" role="img">` +
    `<title>${title}</title>` +
    `<defs>${defs.join('')}</defs>` +
    `<rect width="400" height="400" fill="url(#${id}bg)"/>` +
    `<rect width="400" height="400" fill="url(#${id}l)"/>` +
    rect(0, 300, 400, 100, { fill: '#fff', 'fill-opacity': 0.22 }) +
    ellipse(200 + dx, 314, FOOTPRINT[spec.kind] * scale, 16, { fill: `url(#${id}s)` }) +
    `<g transform="${transform}" stroke="${paint.darker}" stroke-width="2" stroke-linejoin="round" stroke-linecap="round">` +
    drawing.back +
    decor +
    (drawing.front ?? '') +
    `</g></svg>`
  )
}
