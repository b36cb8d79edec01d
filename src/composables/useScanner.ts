import { onScopeDispose } from 'vue'
import { WedgeDetector, type WedgeOptions } from '@/services/scan/wedge'

export type ScanSource = 'wedge' | 'camera' | 'typed'

export interface UseScannerOptions extends WedgeOptions {
  onScan: (code: string, source: ScanSource) => void
  /** Where key events come from; the window by default (tests pass their own). */
  target?: Pick<Window, 'addEventListener' | 'removeEventListener'>
}

/**
 * The hardware scanner on a working screen: its key bursts are caught wherever the focus is and
 * reported as one scan, without the keys landing in a text field.
 */
export function useScanner(options: UseScannerOptions): { scan: (code: string, source: ScanSource) => void } {
  const target = options.target ?? window
  const detector = new WedgeDetector((code) => options.onScan(code, 'wedge'), options)
  const listener = (event: Event) => {
    const key = event as KeyboardEvent
    if (key.ctrlKey || key.altKey || key.metaKey) return
    const verdict = detector.handle({ key: key.key, timeStamp: key.timeStamp })
    if (verdict === 'ignored') return
    key.preventDefault()
    // The burst's first key may have reached a field before it could be told from typing.
    const field = key.target as HTMLInputElement | null
    if (verdict === 'scan' && field && 'value' in field && typeof field.value === 'string') {
      field.value = ''
      // Tell the field's v-model too, or the next render puts the stray key back.
      field.dispatchEvent(new Event('input', { bubbles: true }))
    }
  }
  target.addEventListener('keydown', listener, true)
  onScopeDispose(() => target.removeEventListener('keydown', listener, true))
  return { scan: options.onScan }
}
