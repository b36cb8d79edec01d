/** Small formatting helpers for the screens. */

export function formatAge(since: string | number | null, now: number): string {
  if (since === null) return '—'
  const ms = now - (typeof since === 'number' ? since : Date.parse(since))
  if (!Number.isFinite(ms)) return '—'
  const minutes = Math.max(0, Math.floor(ms / 60_000))
  if (minutes < 60) return `${minutes} min`
  const hours = Math.floor(minutes / 60)
  if (hours < 48) return `${hours} h`
  return `${Math.floor(hours / 24)} d`
}

export function formatClock(iso: string | null): string {
  if (!iso) return 'never'
  return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
}
