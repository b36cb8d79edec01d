import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

/**
 * Components sit in a folder per part of the app, named with the folder's name first (elk's way):
 * `components/print/PrintSizeSelect.vue`, `components/sync/SyncStatusBar.vue`. A name read in a
 * page's template then says where the component lives.
 */
const componentsDir = fileURLToPath(new URL('../../../src/components', import.meta.url))

function pascal(folder: string): string {
  return folder
    .split(/[-_]/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('')
}

describe('component names', () => {
  it('start with the name of their folder', () => {
    const misnamed: string[] = []
    const folders = readdirSync(componentsDir, { withFileTypes: true })
    expect(folders.some((entry) => entry.isDirectory())).toBe(true)
    for (const entry of folders) {
      if (!entry.isDirectory()) {
        misnamed.push(`${entry.name} (not in a folder of its part)`)
        continue
      }
      for (const file of readdirSync(`${componentsDir}/${entry.name}`)) {
        if (file.endsWith('.vue') && !file.startsWith(pascal(entry.name))) misnamed.push(`${entry.name}/${file}`)
      }
    }
    expect(misnamed).toEqual([])
  })
})
