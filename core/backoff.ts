/**
 * Full-jitter exponential backoff: a random wait between zero and the capped exponential step,
 * so tablets coming back online together do not retry in lockstep. A `Retry-After` from the
 * station wins when it asks for longer.
 */
export function backoffDelay(
  attempt: number,
  options: { baseMs?: number; capMs?: number; retryAfterMs?: number | null; random?: () => number } = {},
): number {
  const base = options.baseMs ?? 1000
  const cap = options.capMs ?? 60_000
  const ceiling = Math.min(cap, base * 2 ** Math.max(0, attempt - 1))
  const jittered = Math.floor((options.random ?? Math.random)() * ceiling)
  return Math.max(jittered, options.retryAfterMs ?? 0)
}
