import { formatMallDateTime } from '#core/datetime.ts'
import { OutageAndLog as SharedOutageAndLog } from '../common/outage-and-log.ts'
import { badRequest } from './errors.ts'
import type { SimulatorState } from './state.ts'

export type OutageMode = 'off' | '503' | '429' | 'hang'
export const OUTAGE_MODES: readonly OutageMode[] = ['off', '503', '429', 'hang']

/** The outage a test or demo switches on (`/mall/_sim/outage`), and the log of the seller's writes. */
export class OutageAndLog extends SharedOutageAndLog<OutageMode> {
  constructor(state: SimulatorState) {
    super(state, OUTAGE_MODES, (mode) => badRequest(`Outage mode must be one of ${OUTAGE_MODES.join(', ')}, not “${mode}”.`, { mode }), formatMallDateTime)
  }
}
