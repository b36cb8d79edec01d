import { shallowRef, type ShallowRef } from 'vue'

/** Orders picked by hand from a list (the queue's batch, the desk's exports), by id. */
export function useSelection(): {
  selected: ShallowRef<ReadonlySet<number>>
  toggle: (id: number) => void
  selectOnly: (ids: Iterable<number>) => void
  clear: () => void
} {
  const selected = shallowRef<ReadonlySet<number>>(new Set())
  return {
    selected,
    toggle(id) {
      const next = new Set(selected.value)
      if (next.has(id)) next.delete(id)
      else next.add(id)
      selected.value = next
    },
    selectOnly(ids) {
      selected.value = new Set(ids)
    },
    clear() {
      selected.value = new Set()
    },
  }
}
