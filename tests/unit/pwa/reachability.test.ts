import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { StationReachability, type Connectivity } from '@/services/sync/reachability'

/**
 * The connectivity bar follows the station's answers, not `navigator.onLine`: a tablet on the
 * Wi-Fi with no route to the station still says it is online.
 */

let networkUp: boolean
let stationAnswers: boolean
let probes: number
let seen: Connectivity[]

function watcher(options = {}): StationReachability {
  const reachability = new StationReachability(
    {
      clock: () => Date.now(),
      networkUp: () => networkUp,
      probe: async () => {
        probes += 1
        return stationAnswers
      },
      setTimer: (run, ms) => setTimeout(run, ms),
      clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    },
    options,
  )
  reachability.subscribe((state) => seen.push(state))
  return reachability
}

beforeEach(() => {
  vi.useFakeTimers()
  networkUp = true
  stationAnswers = true
  probes = 0
  seen = []
})
afterEach(() => {
  vi.useRealTimers()
})

describe('the station’s reachability', () => {
  it('claims nothing until the station has answered, then is online', async () => {
    const reachability = watcher()
    expect(reachability.state).toBe('checking')
    reachability.start()
    await vi.advanceTimersByTimeAsync(0)
    expect(reachability.state).toBe('online')
    expect(seen).toEqual(['online'])
  })

  it('is "unreachable", not online, while the browser says online and the station does not answer', async () => {
    stationAnswers = false
    const reachability = watcher()
    reachability.start()
    await vi.advanceTimersByTimeAsync(0)
    expect(reachability.state).toBe('unreachable')
  })

  it('is offline when the device has no network at all', async () => {
    networkUp = false
    stationAnswers = false
    const reachability = watcher()
    reachability.start()
    await vi.advanceTimersByTimeAsync(0)
    expect(reachability.state).toBe('offline')
  })

  it('probes with backoff while in doubt, and is online again as soon as the station answers, with no `online` event', async () => {
    const reachability = watcher({ firstProbeMs: 1000, maxProbeMs: 8000 })
    reachability.start()
    await vi.advanceTimersByTimeAsync(0)
    stationAnswers = false
    reachability.failed()
    expect(reachability.state).toBe('unreachable')
    const before = probes
    // 1 s, 2 s, 4 s, 8 s, 8 s: five probes in 23 s, not one a second.
    await vi.advanceTimersByTimeAsync(23_000)
    expect(probes - before).toBe(5)
    expect(reachability.state).toBe('unreachable')
    stationAnswers = true
    await vi.advanceTimersByTimeAsync(8000)
    expect(reachability.state).toBe('online')
    expect(seen).toEqual(['online', 'unreachable', 'online'])
  })

  it('does not let one slow request that timed out outweigh later answers', async () => {
    const reachability = watcher()
    reachability.start()
    await vi.advanceTimersByTimeAsync(0)
    const sentEarlier = Date.now()
    await vi.advanceTimersByTimeAsync(100)
    reachability.answered()
    reachability.failed(sentEarlier)
    expect(reachability.state).toBe('online')
    reachability.failed(Date.now())
    expect(reachability.state).toBe('unreachable')
  })

  it('checks an idle station now and then, and notices it has gone', async () => {
    const reachability = watcher({ idleMs: 30_000 })
    reachability.start()
    await vi.advanceTimersByTimeAsync(0)
    stationAnswers = false
    await vi.advanceTimersByTimeAsync(29_000)
    expect(reachability.state).toBe('online')
    await vi.advanceTimersByTimeAsync(1_000)
    expect(reachability.state).toBe('unreachable')
  })

  it('asks again at once when the browser says the network is back', async () => {
    networkUp = false
    stationAnswers = false
    const reachability = watcher({ maxProbeMs: 60_000 })
    reachability.start()
    await vi.advanceTimersByTimeAsync(0)
    expect(reachability.state).toBe('offline')
    networkUp = true
    stationAnswers = true
    reachability.networkChanged()
    await vi.advanceTimersByTimeAsync(0)
    expect(reachability.state).toBe('online')
  })

  it('stops probing once stopped', async () => {
    stationAnswers = false
    const reachability = watcher()
    reachability.start()
    await vi.advanceTimersByTimeAsync(0)
    reachability.stop()
    const before = probes
    await vi.advanceTimersByTimeAsync(120_000)
    expect(probes).toBe(before)
  })
})
