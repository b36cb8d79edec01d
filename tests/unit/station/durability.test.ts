import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase, type StationDatabase } from '../../../server/store/database.ts'
import { Outbox } from '../../../server/store/outbox.ts'

/**
 * What the station acknowledged survives a power cut: its SQLite file runs with the write-ahead
 * log synced at every commit (`synchronous = FULL`, 2), not NORMAL (1), which SQLite documents as
 * possibly rolling back the last commits after a power loss.
 */
describe('the station’s database', () => {
  let dir: string | null = null
  let db: StationDatabase | null = null
  afterEach(() => {
    db?.close()
    if (dir) rmSync(dir, { recursive: true, force: true })
    dir = null
    db = null
  })

  it('syncs every commit to disk, in write-ahead-log mode', () => {
    dir = mkdtempSync(join(tmpdir(), 'station-durability-'))
    db = openDatabase(join(dir, 'station.sqlite'))
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.pragma('synchronous', { simple: true })).toBe(2)
  })

  it('brings a data folder written before the word `queued` forward: its waiting changes still go', () => {
    dir = mkdtempSync(join(tmpdir(), 'station-migration-'))
    const file = join(dir, 'station.sqlite')
    db = openDatabase(file)
    // As an older station left it: a change waiting for the marketplace, called `pending`.
    db.pragma('user_version = 6')
    db.prepare("INSERT INTO outbox (order_id, kind, body, state, created_at) VALUES (7, 'status', '{}', 'pending', '2026-11-01T08:00:00.000Z')").run()
    db.prepare("INSERT INTO audit (at, order_id, actor, action, details, marketplace_state) VALUES ('2026-11-01T08:00:00.000Z', 7, 'seller', 'status', '{}', 'pending')").run()
    db.close()
    db = openDatabase(file)
    const outbox = new Outbox(db, () => Date.now())
    expect(outbox.queuedForOrder(7).map((entry) => entry.state)).toEqual(['queued'])
    expect(db.prepare('SELECT marketplace_state FROM audit WHERE order_id = 7').get()).toEqual({ marketplace_state: 'queued' })
  })
})
