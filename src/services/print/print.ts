/**
 * Browser printing of one kind of paper per job: printers take one paper size per job, so the
 * page's `@page` rule is set for the document on screen (A4, A5, 100 × 150 mm or 4 × 6 in) and
 * removed when the page goes.
 */

export type PaperSize = 'A4' | 'A5' | '100x150' | '4x6'

const PAGE_RULES: Record<PaperSize, string> = {
  // Delivery notes: the browser's margins would add its header and footer; ours are set here.
  A4: '@page { size: A4 portrait; margin: 12mm; }',
  A5: '@page { size: A5 portrait; margin: 8mm; }',
  // Labels: edge to edge, the label box is the page.
  '100x150': '@page { size: 100mm 150mm; margin: 0; }',
  '4x6': '@page { size: 4in 6in; margin: 0; }',
}

const STYLE_ID = 'print-page-size'

/** Sets the paper for the next print job; returns the undo. */
export function setPaper(size: PaperSize, doc: Document = document): () => void {
  doc.getElementById(STYLE_ID)?.remove()
  const style = doc.createElement('style')
  style.id = STYLE_ID
  style.textContent = PAGE_RULES[size]
  doc.head.append(style)
  return () => style.remove()
}

/** Prints once everything on the page is drawn: fonts loaded, images decoded. */
export async function printWhenReady(win: Window = window): Promise<void> {
  const doc = win.document
  await doc.fonts?.ready
  await Promise.all([...doc.images].map((img) => img.decode().catch(() => undefined)))
  win.print()
}

/** Saves text or bytes as a file through the browser's download. */
export function download(name: string, data: BlobPart, type: string): void {
  const url = URL.createObjectURL(new Blob([data], { type }))
  const link = document.createElement('a')
  link.href = url
  link.download = name
  document.body.append(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}

/** A base64 document (MALL's labels) as bytes. */
export function fromBase64(raw: string): Uint8Array<ArrayBuffer> {
  const binary = atob(raw)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}
