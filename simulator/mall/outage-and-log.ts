import { formatMallDateTime } from '#core/datetime.ts'
import { badRequest } from './errors.ts'
import type { SimulatorState } from './state.ts'
import type { LogEntry } from './store.ts'

export type OutageMode = 'off' | '503' | '429' | 'hang'
export const OUTAGE_MODES: readonly OutageMode[] = ['off', '503', '429', 'hang']

/** The outage a test or demo switches on (`/mall/_sim/outage`), and the log of the seller's writes. */
export class OutageAndLog {
  private outage: OutageMode = 'off'
  private readonly outageListeners = new Set<(mode: OutageMode) => void>()

  constructor(private readonly state: SimulatorState) {}

  get outageMode(): OutageMode {
    return this.outage
  }

  setOutage(mode: string): OutageMode {
    if (!(OUTAGE_MODES as readonly string[]).includes(mode)) {
      throw badRequest(`Outage mode must be one of ${OUTAGE_MODES.join(', ')}, not “${mode}”.`, { mode })
    }
    this.outage = mode as OutageMode
    for (const listener of this.outageListeners) listener(this.outage)
    return this.outage
  }

  onOutageChange(listener: (mode: OutageMode) => void): () => void {
    this.outageListeners.add(listener)
    return () => this.outageListeners.delete(listener)
  }

  recordWrite(entry: Omit<LogEntry, 'seq' | 'at'>): number {
    return this.state.store.appendLog({ ...entry, at: formatMallDateTime(this.state.now()) })
  }

  writeLog(afterSeq = 0): LogEntry[] {
    return this.state.store.listLog(afterSeq)
  }

}
