import type { Page } from 'playwright-core'

/**
 * What a person sees wrong with a screen's layout, read from the page as it is drawn now: text
 * drawn over other text or controls, anything reaching past the viewport's edges or making
 * something scroll sideways, and touch targets too small for a gloved finger.
 *
 * Text is measured line by line (a text node's client rects), cut to what its scrolling or
 * clipping ancestors let show, so an ellipsis-truncated name or a visually hidden heading counts
 * only as far as it is drawn. Things are compared only within one layer: content that scrolls
 * under a sticky bar, an open popover or a full-screen flash is layered on purpose.
 */

export interface Box {
  left: number
  top: number
  right: number
  bottom: number
}

export interface Overlap {
  /** What is drawn, e.g. `button "Refresh"` or `span.order-row__customer "Jana Nováková, Brno"`. */
  a: string
  b: string
  /** The area drawn twice, in px. */
  area: number
}

export interface LayoutReport {
  viewport: { width: number; height: number }
  /** The document's scroll width beyond the viewport's (0 when nothing scrolls sideways). */
  documentOverflowX: number
  /** Scroll containers inside the page that scroll sideways (or would, being clipped). */
  sidewaysScrollers: string[]
  /** Visible things drawn (partly) beyond the viewport's left or right edge. */
  outsideViewport: string[]
  overlaps: Overlap[]
  /** Buttons, tabs, fields and button-styled links smaller than `minTarget` in either direction. */
  smallTargets: string[]
}

export interface LayoutOptions {
  /** Only what is inside this element (a CSS selector) is compared; the whole page by default. */
  within?: string
  /** Elements (CSS selectors) left out entirely: things layered over the page on purpose. */
  ignore?: string[]
  /** The smallest touch target allowed, in px. */
  minTarget?: number
  /** Overlaps smaller than this many px² are rounding, not overlap. */
  tolerance?: number
}

/** Reads the page's layout as drawn now; see `LayoutReport`. Scroll first to check another part. */
export function readLayout(page: Page, options: LayoutOptions = {}): Promise<LayoutReport> {
  return page.evaluate(
    ({ within, ignore, minTarget, tolerance }) => {
      const viewport = { width: document.documentElement.clientWidth, height: document.documentElement.clientHeight }
      const root = within ? document.querySelector(within) : document.body
      if (!root) throw new Error(`nothing matches ${within}`)
      const ignored = (el: Element) => ignore.some((selector) => el.closest(selector) !== null)

      type Rect = { left: number; top: number; right: number; bottom: number }
      const clip = (a: Rect, b: Rect): Rect => ({
        left: Math.max(a.left, b.left),
        top: Math.max(a.top, b.top),
        right: Math.min(a.right, b.right),
        bottom: Math.min(a.bottom, b.bottom),
      })
      const empty = (r: Rect) => r.right - r.left < 1 || r.bottom - r.top < 1
      const visible = (el: Element) => {
        const style = getComputedStyle(el)
        return style.visibility !== 'hidden' && Number(style.opacity) > 0.05 && el.checkVisibility({ opacityProperty: true, visibilityProperty: true })
      }
      /**
       * The rectangle as drawn: cut by every ancestor that clips its overflow, and for text by its
       * own element too (`clipping` is then that element, else its parent). A `clip` or
       * `clip-path` (the visually-hidden pattern) hides all but a pixel.
       */
      const drawn = (el: Element, rect: Rect, clipping: Element | null = el.parentElement): Rect => {
        let shown = rect
        for (let parent = clipping; parent && parent !== document.documentElement; parent = parent.parentElement) {
          const style = getComputedStyle(parent)
          if ((style.clip !== 'auto' && style.position === 'absolute') || style.clipPath !== 'none') {
            const box = parent.getBoundingClientRect()
            shown = clip(shown, { left: box.left, top: box.top, right: box.left, bottom: box.top })
          }
          const clips = (value: string) => value !== 'visible'
          if (clips(style.overflowX) || clips(style.overflowY) || /paint|strict|content/.test(style.contain)) {
            const box = parent.getBoundingClientRect()
            shown = clip(shown, {
              left: clips(style.overflowX) ? box.left : -Infinity,
              right: clips(style.overflowX) ? box.right : Infinity,
              top: clips(style.overflowY) ? box.top : -Infinity,
              bottom: clips(style.overflowY) ? box.bottom : Infinity,
            })
          }
          if (style.position === 'fixed') break
        }
        return shown
      }
      /** The layer an element is drawn in: its nearest fixed or sticky ancestor (or itself), a popover, or the page. */
      const layerOf = (el: Element): Element | null => {
        for (let node: Element | null = el; node; node = node.parentElement) {
          const position = getComputedStyle(node).position
          if (position === 'fixed' || position === 'sticky' || node.matches(':popover-open, dialog[open]')) return node
        }
        return null
      }
      const describe = (el: Element, text?: string) => {
        const name = el.tagName.toLowerCase() + [...el.classList].slice(0, 2).map((c) => `.${c}`).join('')
        const words = (text ?? el.getAttribute('aria-label') ?? (el as HTMLElement).innerText ?? '').replace(/\s+/g, ' ').trim().slice(0, 60)
        return words ? `${name} "${words}"` : name
      }

      // What is drawn: each line of text, and each control as a whole (its own text is part of it).
      const CONTROLS = 'button, input, select, textarea, img, svg, [role="checkbox"], [role="tab"], a.button, .pill, .badge'
      interface Piece {
        owner: Element
        rect: Rect
        label: string
        layer: Element | null
      }
      const pieces: Piece[] = []
      const controls = [...root.querySelectorAll(CONTROLS)].filter((el) => !ignored(el) && visible(el) && !el.parentElement?.closest(CONTROLS))
      for (const el of controls) {
        const rect = drawn(el, el.getBoundingClientRect(), el)
        if (!empty(rect)) pieces.push({ owner: el, rect, label: describe(el), layer: layerOf(el) })
      }
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT)
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const parent = node.parentElement
        if (!parent || !node.textContent?.trim() || ignored(parent) || parent.closest(CONTROLS) || !visible(parent)) continue
        if (parent.closest('script, style, template, title')) continue
        const range = document.createRange()
        range.selectNodeContents(node)
        for (const line of range.getClientRects()) {
          const rect = drawn(parent, line, parent)
          if (!empty(rect)) pieces.push({ owner: parent, rect, label: describe(parent, node.textContent), layer: layerOf(parent) })
        }
      }

      const overlaps: { a: string; b: string; area: number }[] = []
      for (let i = 0; i < pieces.length; i++) {
        for (let j = i + 1; j < pieces.length; j++) {
          const a = pieces[i] as Piece
          const b = pieces[j] as Piece
          if (a.owner === b.owner || a.layer !== b.layer || a.owner.contains(b.owner) || b.owner.contains(a.owner)) continue
          const both = clip(a.rect, b.rect)
          const area = Math.max(0, both.right - both.left) * Math.max(0, both.bottom - both.top)
          if (area > tolerance) overlaps.push({ a: a.label, b: b.label, area: Math.round(area) })
        }
      }

      const outsideViewport: string[] = []
      const sidewaysScrollers: string[] = []
      for (const el of root.querySelectorAll('*')) {
        if (ignored(el) || !visible(el)) continue
        const style = getComputedStyle(el)
        if (el.scrollWidth > el.clientWidth + 1 && (style.overflowX === 'auto' || style.overflowX === 'scroll')) sidewaysScrollers.push(describe(el))
        const rect = drawn(el, el.getBoundingClientRect())
        if (empty(rect)) continue
        if (rect.right > viewport.width + 1 || rect.left < -1) outsideViewport.push(`${describe(el)} at ${Math.round(rect.left)}–${Math.round(rect.right)} px`)
      }

      const smallTargets: string[] = []
      const TARGETS = 'button, [role="tab"], [role="checkbox"], a.button, select, input:not([type="checkbox"]):not([type="radio"]):not([type="hidden"])'
      for (const el of root.querySelectorAll(TARGETS)) {
        if (ignored(el) || !visible(el)) continue
        const box = el.getBoundingClientRect()
        if (box.width < 2 || box.height < 2) continue
        if (box.width < minTarget - 0.5 || box.height < minTarget - 0.5) smallTargets.push(`${describe(el)} ${Math.round(box.width)}×${Math.round(box.height)} px`)
      }

      return {
        viewport,
        documentOverflowX: Math.max(0, document.documentElement.scrollWidth - viewport.width),
        sidewaysScrollers,
        outsideViewport,
        overlaps,
        smallTargets,
      }
    },
    { within: options.within ?? null, ignore: options.ignore ?? [], minTarget: options.minTarget ?? 48, tolerance: options.tolerance ?? 4 },
  )
}

/** Where an element is drawn, or null when there is none to be seen. */
export function boxOf(page: Page, selector: string): Promise<Box | null> {
  return page.evaluate((s) => {
    const el = document.querySelector(s)
    if (!el || !el.checkVisibility()) return null
    const { left, top, right, bottom } = el.getBoundingClientRect()
    return { left, top, right, bottom }
  }, selector)
}

/** Whether the whole box is inside the viewport, below `topInset` px (what a sticky bar covers). */
export function insideViewport(box: Box | null, viewport: { width: number; height: number }, topInset = 0): boolean {
  return box !== null && box.top >= topInset - 0.5 && box.left >= -0.5 && box.bottom <= viewport.height + 0.5 && box.right <= viewport.width + 0.5
}
