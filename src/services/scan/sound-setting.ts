import { getMeta, setMeta, type PickingDatabase } from '@/db/schema'

/** Whether the pack screen beeps on a scan: on until turned off on this tablet. */
export async function soundSetting(db: PickingDatabase): Promise<boolean> {
  return getMeta('setting:sound', true, db)
}

export async function saveSoundSetting(db: PickingDatabase, on: boolean): Promise<void> {
  await setMeta('setting:sound', on, db)
}
