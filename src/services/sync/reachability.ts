/**
 * Whether the station answers, as the tablet's own requests find it. `navigator.onLine` only says
 * whether the device has a network: a tablet on the Wi-Fi with no route to the station still says
 * it is online (and Chromium keeps saying so after going offline and reloading). So the bar follows
 * real answers: every request to the station reports whether it got one, the event stream reports
 * its hints, and while in doubt a light probe (`GET /api/health`) asks again with backoff.
 */

export type Connectivity =
  /** Nothing heard yet since the app started: the first probe is on its way. */
  | 'checking'
  /** The station answered recently. */
  | 'online'
  /** The device has a network, but the station does not answer. */
  | 'unreachable'
  /** The device has no network at all. */
  | 'offline'

export interface ReachabilityDeps {
  clock: () => number
  /** What the browser says of the device's network: false means none at all. */
  networkUp: () => boolean
  /** A light request to the station: resolves true when the station answered. */
  probe: () => Promise<boolean>
  setTimer: (run: () => void, ms: number) => unknown
  clearTimer: (handle: unknown) => void
}

export interface ReachabilityOptions {
  /** Without any answer for this long while online, a probe checks the station is still there. */
  idleMs?: number
  /** The first retry of the probe after a failure; it doubles up to `maxProbeMs`. */
  firstProbeMs?: number
  maxProbeMs?: number
}

type Listener = (state: Connectivity, previous: Connectivity) => void

export class StationReachability {
  private current: Connectivity = 'checking'
  private lastAnswerAt = Number.NEGATIVE_INFINITY
  private failures = 0
  private timer: unknown = null
  private probing = false
  private stopped = true
  private readonly listeners = new Set<Listener>()
  private readonly idleMs: number
  private readonly firstProbeMs: number
  private readonly maxProbeMs: number

  constructor(
    private readonly deps: ReachabilityDeps,
    options: ReachabilityOptions = {},
  ) {
    // A device without a network is offline from the first moment, before any probe.
    if (!deps.networkUp()) this.current = 'offline'
    this.idleMs = options.idleMs ?? 10_000
    this.firstProbeMs = options.firstProbeMs ?? 1_000
    this.maxProbeMs = options.maxProbeMs ?? 5_000
  }

  get state(): Connectivity {
    return this.current
  }

  /** Called on every change of state, with the state before it. Returns the unsubscribe. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Starts watching: the device without a network is offline at once, otherwise a probe asks now. */
  start(): void {
    if (!this.stopped) return
    this.stopped = false
    if (!this.deps.networkUp()) this.set('offline')
    void this.probeNow()
  }

  stop(): void {
    this.stopped = true
    this.cancelTimer()
  }

  /** The station answered a request (any HTTP answer: even a refusal comes from the station). */
  answered(): void {
    this.lastAnswerAt = this.deps.clock()
    this.failures = 0
    this.set('online')
    this.schedule(this.idleMs)
  }

  /**
   * A request got no answer (network error, timeout). `startedAt`: when it was sent; an answer to
   * a later request outweighs it, so one slow request that timed out does not mark a station
   * unreachable that answers everything else.
   */
  failed(startedAt: number = this.deps.clock()): void {
    if (this.lastAnswerAt > startedAt) return
    this.failures += 1
    this.set(this.deps.networkUp() ? 'unreachable' : 'offline')
    this.schedule(Math.min(this.maxProbeMs, this.firstProbeMs * 2 ** (this.failures - 1)))
  }

  /** The browser says the network came or went (`online` / `offline` events). */
  networkChanged(): void {
    if (this.stopped) return
    if (!this.deps.networkUp()) {
      this.set('offline')
      this.schedule(this.maxProbeMs)
      return
    }
    // The network is back: whether the station is, only an answer tells.
    if (this.current === 'offline') this.set('unreachable')
    void this.probeNow()
  }

  /** Asks the station now (a person pressed Refresh, the network came back, or in doubt). */
  async probeNow(): Promise<void> {
    if (this.probing || this.stopped) return
    this.probing = true
    this.cancelTimer()
    const startedAt = this.deps.clock()
    try {
      const ok = await this.deps.probe().catch(() => false)
      if (this.stopped) return
      if (ok) this.answered()
      else this.failed(startedAt)
    } finally {
      this.probing = false
    }
  }

  private set(state: Connectivity): void {
    const previous = this.current
    if (previous === state) return
    this.current = state
    for (const listener of this.listeners) listener(state, previous)
  }

  private schedule(ms: number): void {
    if (this.stopped) return
    this.cancelTimer()
    this.timer = this.deps.setTimer(() => {
      this.timer = null
      void this.probeNow()
    }, ms)
  }

  private cancelTimer(): void {
    if (this.timer !== null) this.deps.clearTimer(this.timer)
    this.timer = null
  }
}
