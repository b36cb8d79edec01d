import { useRouter } from 'vue-router'
import { usePlatform } from '@/app/platform'
import { findNextOrder } from '@/services/pick/next-order'
import { useSessionStore } from '@/stores/session'
import { useSettingsStore } from '@/stores/settings'

/**
 * Where a packer goes once a parcel is packed: its delivery note when this tablet prints after
 * packing, else straight on to the next order ("finish on last scan"), else the packed order.
 */
export function usePackingFlow() {
  const router = useRouter()
  const { db, clock } = usePlatform()
  const session = useSessionStore()
  const settings = useSettingsStore()

  /** Opens the pack screen of the oldest open order nobody else holds, or the queue when there is none. */
  async function goToNextOrder(packed: number | null = null): Promise<void> {
    const me = { user: session.user?.name ?? 'unknown', device_id: session.deviceId }
    const next = await findNextOrder(db, me, clock(), packed)
    if (next) await router.push({ name: 'pack', params: { id: next.id } })
    else await router.push({ name: 'queue' })
  }

  async function afterPacking(orderId: number): Promise<void> {
    if (settings.prefs.print_after_packing) await router.push({ name: 'print', params: { id: orderId, doc: 'note' }, query: { auto: '1' } })
    else if (settings.prefs.finish_on_last_scan) await goToNextOrder(orderId)
    else await router.push({ name: 'order', params: { id: orderId } })
  }

  return { goToNextOrder, afterPacking }
}
