import { liveQuery } from 'dexie'
import { onScopeDispose, shallowRef, watch, type ShallowRef, type WatchSource } from 'vue'

/**
 * A Dexie live query as a Vue ref: re-runs when the tables it read change, in this tab or
 * another. `shallowRef`, since the records are plain data and large lists must not be deep-proxied.
 */
export function useLiveQuery<T>(query: () => T | Promise<T>, initial: T, deps?: WatchSource | WatchSource[]): ShallowRef<T> {
  const value = shallowRef(initial) as ShallowRef<T>
  let subscription: { unsubscribe(): void } | undefined
  const subscribe = () => {
    subscription?.unsubscribe()
    subscription = liveQuery(query).subscribe({
      next: (result) => {
        value.value = result
      },
      error: (error: unknown) => console.error('live query failed', error),
    })
  }
  if (deps) watch(deps, subscribe, { immediate: true })
  else subscribe()
  onScopeDispose(() => subscription?.unsubscribe())
  return value
}
