import { join } from 'node:path'
import { ConfigError, loadConfig } from './config.ts'
import { openDatabase } from './store/database.ts'
import { SettingsStore } from './store/settings.ts'
import { checkPin, MIN_PIN_LENGTH, UserStore, type Role } from './store/users.ts'

/**
 * `npm run users -- add NAME PIN [picker|lead] [Display name]`: adds a person who may sign in on
 * the tablets, with a PIN of 4 to 8 digits (at least `pin_min_length` when a lead raised it). The
 * demo seeds its two users by itself; a real warehouse adds its own.
 */
async function main(): Promise<void> {
  const [command, name, pin, role = 'picker', ...display] = process.argv.slice(2)
  if (command !== 'add' || !name || !pin) {
    console.error('Usage: npm run users -- add NAME PIN [picker|lead] [Display name]')
    process.exit(2)
  }
  if (role !== 'picker' && role !== 'lead') throw new ConfigError('The role is picker or lead.')
  const config = loadConfig()
  const db = openDatabase(join(config.dataDir, 'station.sqlite'))
  try {
    // 4 to 8 digits, or at least as many as the lead set (`pin_min_length` in the settings).
    const minLength = new SettingsStore(db).get().pin_min_length ?? MIN_PIN_LENGTH
    const wrong = checkPin(pin, minLength)
    if (wrong) throw new ConfigError(wrong)
    const users = new UserStore(db)
    await users.addUser(name.toLowerCase(), display.join(' ') || name, role as Role, pin, minLength)
  } finally {
    db.close()
  }
  console.log(`${name.toLowerCase()} can now sign in (${role}).`)
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error)
  process.exit(1)
})
