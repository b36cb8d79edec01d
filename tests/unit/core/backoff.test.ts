import { describe, expect, it } from 'vitest'
import { backoffDelay } from '#core/backoff.ts'

/** Full jitter: a random wait in [0, min(cap, base · 2^(attempt − 1))). Defaults: base 1 s, cap 60 s. */
const fixed = (value: number) => () => value

describe('backoffDelay', () => {
  it.each([
    [1, 1_000],
    [2, 2_000],
    [3, 4_000],
    [4, 8_000],
    [5, 16_000],
    [6, 32_000],
    [7, 60_000],
  ])('attempt %i waits somewhere below %i ms', (attempt, ceiling) => {
    expect(backoffDelay(attempt, { random: fixed(0) })).toBe(0)
    expect(backoffDelay(attempt, { random: fixed(0.5) })).toBe(ceiling / 2)
    expect(backoffDelay(attempt, { random: fixed(0.999) })).toBe(Math.floor(0.999 * ceiling))
    expect(backoffDelay(attempt, { random: fixed(0.999) })).toBeLessThan(ceiling)
  })

  it('stays within the bounds for any random draw', () => {
    for (let attempt = 1; attempt <= 12; attempt++) {
      const ceiling = Math.min(60_000, 1_000 * 2 ** (attempt - 1))
      for (let i = 0; i < 50; i++) {
        const delay = backoffDelay(attempt)
        expect(delay).toBeGreaterThanOrEqual(0)
        expect(delay).toBeLessThan(ceiling)
        expect(Number.isInteger(delay)).toBe(true)
      }
    }
  })

  it('never waits longer than the cap, however many attempts failed', () => {
    expect(backoffDelay(20, { random: fixed(0.999) })).toBe(59_940)
    expect(backoffDelay(5_000, { random: fixed(0.999) })).toBe(59_940)
    expect(backoffDelay(30, { random: fixed(0.999), baseMs: 2_000, capMs: 300_000 })).toBe(299_700)
  })

  it('takes its own base and cap', () => {
    expect(backoffDelay(1, { random: fixed(0.5), baseMs: 2_000 })).toBe(1_000)
    expect(backoffDelay(4, { random: fixed(0.5), baseMs: 2_000 })).toBe(8_000)
    expect(backoffDelay(4, { random: fixed(0.5), baseMs: 2_000, capMs: 10_000 })).toBe(5_000)
  })

  it('treats attempt 0 (or less) as the first attempt', () => {
    expect(backoffDelay(0, { random: fixed(0.5) })).toBe(500)
    expect(backoffDelay(-3, { random: fixed(0.5) })).toBe(500)
  })

  it('Retry-After wins when it asks for longer than the jitter', () => {
    expect(backoffDelay(1, { random: fixed(0.999), retryAfterMs: 30_000 })).toBe(30_000)
    // Longer than the cap too: the station knows when it is back.
    expect(backoffDelay(10, { random: fixed(0.999), retryAfterMs: 120_000 })).toBe(120_000)
  })

  it('the jitter wins when Retry-After asks for less', () => {
    expect(backoffDelay(6, { random: fixed(0.5), retryAfterMs: 1_000 })).toBe(16_000)
    expect(backoffDelay(3, { random: fixed(0.5), retryAfterMs: 0 })).toBe(2_000)
    expect(backoffDelay(3, { random: fixed(0.5), retryAfterMs: null })).toBe(2_000)
  })
})
