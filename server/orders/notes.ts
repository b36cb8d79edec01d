import type { OrderNote, StationOrder } from '#core/station-api.ts'
import type { AuditLog } from '../store/audit.ts'
import type { StationDatabase } from '../store/database.ts'
import type { OrderRepository, OrderRow } from '../store/orders.ts'

export interface NotesDeps {
  db: StationDatabase
  orders: OrderRepository
  audit: AuditLog
  clock: () => number
}

export interface NoteAuthor {
  user: string
  role: 'picker' | 'lead'
  device_id: string | null
}

/** What became of a note's change: the order with its notes, or why not. */
export type NoteAnswer = { order: StationOrder } | { forbidden: string; order: StationOrder }

/**
 * Notes on an order, kept on the station since MALL has no notes field: anyone signed in adds
 * one; its author or a team lead edits or deletes it; each change is in the order's history. A
 * note is named by the id its tablet made, so a change sent twice (a retried outbox entry) lands
 * once: the same text again, or deleting a note already gone, changes nothing.
 */
export class Notes {
  constructor(private readonly deps: NotesDeps) {}

  put(row: OrderRow, id: string, text: string, author: NoteAuthor): NoteAnswer {
    const { db, orders, audit, clock } = this.deps
    return db.transaction((): NoteAnswer => {
      const existing = orders.note(id)
      const current = () => orders.toApi(orders.get(row.id) ?? row)
      if (existing && existing.order_id !== row.id) return { forbidden: `Note ${id} belongs to order ${existing.order_id}: make a new note here.`, order: current() }
      if (existing && existing.user !== author.user && author.role !== 'lead') {
        return { forbidden: `Only ${existing.user}, who wrote the note, or a team lead can change it.`, order: current() }
      }
      if (existing?.text !== text) {
        const now = new Date(clock()).toISOString()
        const note: OrderNote = existing
          ? { ...existing, text, updated_at: now, updated_by: author.user }
          : { id, text, user: author.user, device_id: author.device_id, created_at: now, updated_at: now, updated_by: author.user }
        orders.putNote(row.id, note)
        audit.record({ order_id: row.id, actor: 'user', user: author.user, device_id: author.device_id, action: existing ? 'note_edited' : 'note', details: { id, text }, marketplace_state: 'not_needed' })
      }
      return { order: orders.toApi(orders.get(row.id) ?? row) }
    })()
  }

  delete(row: OrderRow, id: string, author: NoteAuthor): NoteAnswer {
    const { db, orders, audit } = this.deps
    return db.transaction((): NoteAnswer => {
      const existing = orders.note(id)
      if (existing && existing.order_id === row.id) {
        if (existing.user !== author.user && author.role !== 'lead') {
          return { forbidden: `Only ${existing.user}, who wrote the note, or a team lead can delete it.`, order: orders.toApi(row) }
        }
        orders.deleteNote(row.id, id)
        audit.record({ order_id: row.id, actor: 'user', user: author.user, device_id: author.device_id, action: 'note_deleted', details: { id, text: existing.text }, marketplace_state: 'not_needed' })
      }
      return { order: orders.toApi(orders.get(row.id) ?? row) }
    })()
  }
}
