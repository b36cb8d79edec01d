import { onScopeDispose, ref, type Ref } from 'vue'

/** Whether the browser believes it is online, following `online`/`offline` events. */
export function useOnline(target: Pick<Window, 'addEventListener' | 'removeEventListener' | 'navigator'> = window): Ref<boolean> {
  const online = ref(target.navigator.onLine)
  const on = () => (online.value = true)
  const off = () => (online.value = false)
  target.addEventListener('online', on)
  target.addEventListener('offline', off)
  onScopeDispose(() => {
    target.removeEventListener('online', on)
    target.removeEventListener('offline', off)
  })
  return online
}
