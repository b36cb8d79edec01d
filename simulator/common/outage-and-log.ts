import type { LogEntry } from './store.ts'

/** What the outage switch and the write log need of a simulator's state. */
export interface OutageAndLogState {
  readonly store: {
    appendLog(entry: Omit<LogEntry, 'seq'>): number
    listLog(afterSeq?: number): LogEntry[]
  }
  now(): number
}

/**
 * The outage a test or demo switches on (`{prefix}/_sim/outage`), and the log of the seller's
 * writes: the part both simulators share. Each names its own modes, the refusal of an unknown
 * one, and how its marketplace writes a time.
 */
export class OutageAndLog<M extends string> {
  private outage = 'off' as M
  private readonly outageListeners = new Set<(mode: M) => void>()

  constructor(
    private readonly base: OutageAndLogState,
    private readonly modes: readonly M[],
    private readonly refuseMode: (mode: string) => Error,
    private readonly formatTime: (ms: number) => string,
  ) {}

  get outageMode(): M {
    return this.outage
  }

  setOutage(mode: string): M {
    if (!(this.modes as readonly string[]).includes(mode)) throw this.refuseMode(mode)
    this.outage = mode as M
    for (const listener of this.outageListeners) listener(this.outage)
    return this.outage
  }

  onOutageChange(listener: (mode: M) => void): () => void {
    this.outageListeners.add(listener)
    return () => this.outageListeners.delete(listener)
  }

  recordWrite(entry: Omit<LogEntry, 'seq' | 'at'>): number {
    return this.base.store.appendLog({ ...entry, at: this.formatTime(this.base.now()) })
  }

  writeLog(afterSeq = 0): LogEntry[] {
    return this.base.store.listLog(afterSeq)
  }
}

/** A simulator's face for its outage and write log, as its routes and the tests use them. */
export abstract class WithOutageAndLog<M extends string> {
  protected abstract readonly outageAndLog: OutageAndLog<M>

  get outageMode(): M {
    return this.outageAndLog.outageMode
  }

  setOutage(mode: string): M {
    return this.outageAndLog.setOutage(mode)
  }

  onOutageChange(listener: (mode: M) => void): () => void {
    return this.outageAndLog.onOutageChange(listener)
  }

  recordWrite(entry: Omit<LogEntry, 'seq' | 'at'>): number {
    return this.outageAndLog.recordWrite(entry)
  }

  writeLog(afterSeq = 0): LogEntry[] {
    return this.outageAndLog.writeLog(afterSeq)
  }
}
