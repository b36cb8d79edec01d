import { formatDateTime, formatTime } from '#core/datetime.ts'

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

/** `HH:MM` of an ISO instant on the warehouse's clock (`zone`, from the station's settings). */
export function formatClock(iso: string | null, zone: string): string {
  if (!iso) return 'never'
  const at = Date.parse(iso)
  return Number.isFinite(at) ? formatTime(at, zone) : '—'
}

/** `YYYY-MM-DD HH:MM` of an ISO instant on the warehouse's clock; what is not an instant shows as it came. */
export function formatInstant(iso: string, zone: string): string {
  const at = Date.parse(iso)
  return Number.isFinite(at) ? formatDateTime(at, zone) : iso
}
