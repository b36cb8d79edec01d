/**
 * Where a scanned code came from: a wedge (keyboard) scanner, the camera, or typed in by hand.
 * The packing evidence also knows `manual`: a line confirmed by hand because its label would not
 * scan, with no code at all.
 */
export const SCAN_SOURCES = ['wedge', 'camera', 'typed'] as const
export type ScanSource = (typeof SCAN_SOURCES)[number]

export const EVIDENCE_SOURCES = [...SCAN_SOURCES, 'manual'] as const
export type EvidenceSource = (typeof EVIDENCE_SOURCES)[number]
