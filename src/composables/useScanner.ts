import { onScopeDispose } from 'vue'
import { sayPhrase } from '@/i18n/sentences'
import type { ScanSource } from '#core/scan-sources.ts'
import { WedgeDetector, type WedgeAffixes, type WedgeOptions } from '@/services/scan/wedge'
import { useScannerStore } from '@/stores/scanner'

export type { ScanSource }

export interface UseScannerOptions extends WedgeOptions {
  onScan: (code: string, source: ScanSource) => void
  /** A scanner's burst that could not be read whole: nothing was taken, and `message` says to scan again. */
  onMisread?: (message: string) => void
  /** Where key events come from; the window by default (tests pass their own). */
  target?: Pick<Window, 'addEventListener' | 'removeEventListener'>
  /** The prefix and suffix the device's scanner sends; this tablet's settings by default. */
  affixes?: () => WedgeAffixes
}

type Editable = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement

interface FieldBefore {
  value: string
  start: number | null
  end: number | null
}

function editableOf(target: EventTarget | null): Editable | null {
  if (typeof HTMLElement === 'undefined' || !(target instanceof HTMLElement)) return null
  if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return target
  return null
}

/**
 * A field meant for scans: the screen's scan field (`inputmode="none"`, as every scan field is) or
 * one marked `data-scan-target`. Anything else with the focus is a form being filled in.
 */
function isScanTarget(field: Editable): boolean {
  return field.getAttribute('inputmode') === 'none' || field.hasAttribute('data-scan-target')
}

function inForm(target: EventTarget | null): boolean {
  if (typeof HTMLElement === 'undefined' || !(target instanceof HTMLElement)) return false
  if (target.isContentEditable) return true
  const field = editableOf(target)
  return field !== null && !isScanTarget(field)
}

function before(field: Editable): FieldBefore {
  if (field instanceof HTMLSelectElement) return { value: field.value, start: null, end: null }
  try {
    return { value: field.value, start: field.selectionStart, end: field.selectionEnd }
  } catch {
    // Number and date inputs have no selection.
    return { value: field.value, start: null, end: null }
  }
}

function restore(field: Editable, was: FieldBefore): void {
  if (field.value === was.value) return
  field.value = was.value
  if (was.start !== null && was.end !== null && !(field instanceof HTMLSelectElement)) {
    try {
      field.setSelectionRange(was.start, was.end)
    } catch {
      // No selection to put back.
    }
  }
  // Tell the field's v-model too, or the next render puts the scanner's keys back.
  field.dispatchEvent(new Event(field instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true }))
}

/**
 * The key as the detector takes it: Ctrl + letter is the control character a scanner sends for a
 * prefix such as STX, when one is set; Android's wedge may report Enter with no name but its code.
 * Null for shortcuts, which are none of the scanner's business.
 */
function keyOf(event: KeyboardEvent, affixes: WedgeAffixes): string | null {
  if (event.key === 'Unidentified' || event.key === 'Process') {
    if (event.keyCode === 13) return 'Enter'
    if (event.keyCode === 9) return 'Tab'
    return event.key
  }
  if (event.altKey || event.metaKey) return null
  if (event.ctrlKey) {
    if (!/^[a-z]$/i.test(event.key)) return null
    const control = String.fromCharCode(event.key.toUpperCase().charCodeAt(0) - 64)
    return (affixes.prefix + affixes.suffix).includes(control) ? control : null
  }
  return event.key
}

/**
 * The hardware scanner on a working screen: its key bursts are caught wherever the focus is and
 * reported as one scan. The keys are never held back (a person's typing is never lost or slowed);
 * once a burst is known to be a scan, what it typed is taken back out of the fields it reached.
 */
export function useScanner(options: UseScannerOptions): { scan: (code: string, source: ScanSource) => void } {
  const target = options.target ?? window
  const affixes = options.affixes ?? settingsAffixes()
  const detector = new WedgeDetector(options)
  /** Every field the current burst typed into, as it was before. */
  const touched = new Map<Editable, FieldBefore>()
  const takeBack = () => {
    for (const [field, was] of touched) restore(field, was)
    touched.clear()
  }
  const listener = (event: Event) => {
    const keyEvent = event as KeyboardEvent
    if (keyEvent.isComposing) return
    detector.affixes = affixes()
    const key = keyOf(keyEvent, detector.affixes)
    if (key === null) return
    const verdict = detector.handle({ key, timeStamp: keyEvent.timeStamp, strict: inForm(keyEvent.target) })
    switch (verdict.kind) {
      case 'pass':
        return
      case 'key': {
        if (verdict.starts) touched.clear()
        const field = editableOf(keyEvent.target)
        if (field && !touched.has(field)) touched.set(field, before(field))
        return
      }
      case 'swallow':
        keyEvent.preventDefault()
        return
      case 'scan':
        keyEvent.preventDefault()
        takeBack()
        options.onScan(verdict.code, 'wedge')
        return
      case 'misread':
        keyEvent.preventDefault()
        takeBack()
        options.onMisread?.(sayPhrase(verdict.message))
    }
  }
  target.addEventListener('keydown', listener, true)
  onScopeDispose(() => target.removeEventListener('keydown', listener, true))
  return { scan: options.onScan }
}

function settingsAffixes(): () => WedgeAffixes {
  const scanner = useScannerStore()
  return () => scanner.affixes
}
