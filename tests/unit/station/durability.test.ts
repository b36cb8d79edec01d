import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase, type StationDatabase } from '../../../server/store/database.ts'

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
})
