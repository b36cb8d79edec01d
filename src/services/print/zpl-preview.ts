import type { Dpi } from '@/services/print/zpl'
import { commands } from './zpl-commands'
import { LabelDrawing } from './zpl-svg'

/**
 * What a ZPL document will print, drawn as SVG for the packer to check before printing: one
 * standalone SVG per `^XA … ^XZ` label, in printer dots (`viewBox` = `^PW` × `^LL`).
 *
 * It understands the commands our labels (`zpl.ts`) and MALL Delivery's ZPL use: ^XA ^XZ
 * ^CI ^PW ^LL ^LH ^FO ^FT ^A ^CF ^FB ^FH ^FD ^FV ^FS ^FR ^GB ^BY ^BC ^PQ ^FX. Other commands are
 * skipped and reported by `previewZpl` / `zplPreviewWarnings`. Text is drawn in a condensed sans
 * serif in place of the printer's font 0, wrapped in `^FB` blocks with the same glyph estimate the
 * label generator uses to cut text, so a line that wraps here wraps on the label.
 */

export interface ZplPreviewOptions {
  /** The printer's resolution, for the SVG's size in mm; guessed from `^PW` when left out. */
  dpi?: Dpi
}

export interface ZplPreviewLabel {
  svg: string
  /** What the preview could not draw faithfully (unknown commands, invalid barcode data). */
  warnings: string[]
}

/** One standalone SVG string per `^XA … ^XZ` label. */
export function renderZplPreview(zpl: string, options: ZplPreviewOptions = {}): string[] {
  return previewZpl(zpl, options).map((label) => label.svg)
}

/** Everything in the document the preview skipped or could not draw, each once. */
export function zplPreviewWarnings(zpl: string): string[] {
  return [...new Set(previewZpl(zpl).flatMap((label) => label.warnings))]
}

/** Each label's SVG with what the preview could not draw. */
export function previewZpl(zpl: string, options: ZplPreviewOptions = {}): ZplPreviewLabel[] {
  const labels: ZplPreviewLabel[] = []
  let label: LabelDrawing | null = null
  for (const command of commands(zpl)) {
    if (command.name === 'XA') {
      label = new LabelDrawing()
    } else if (command.name === 'XZ') {
      if (label) labels.push(label.finish(options.dpi))
      label = null
    } else {
      label?.apply(command)
    }
  }
  return labels
}
