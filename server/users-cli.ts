import { join } from 'node:path'
import { ConfigError, loadConfig } from './config.ts'
import { openDatabase } from './store/database.ts'
import { UserStore, type Role } from './store/users.ts'

/**
 * `npm run users -- add NAME PIN [picker|lead] [Display name]`: adds a person who may sign in on
 * the tablets (the demo seeds its two users by itself; a real warehouse adds its own).
 */
async function main(): Promise<void> {
  const [command, name, pin, role = 'picker', ...display] = process.argv.slice(2)
  if (command !== 'add' || !name || !pin) {
    console.error('Usage: npm run users -- add NAME PIN [picker|lead] [Display name]')
    process.exit(2)
  }
  if (!/^\d{4,12}$/.test(pin)) throw new ConfigError('The PIN must be 4 to 12 digits.')
  if (role !== 'picker' && role !== 'lead') throw new ConfigError('The role is picker or lead.')
  const config = loadConfig()
  const db = openDatabase(join(config.dataDir, 'station.sqlite'))
  const users = new UserStore(db)
  await users.addUser(name.toLowerCase(), display.join(' ') || name, role as Role, pin)
  db.close()
  console.log(`${name.toLowerCase()} can now sign in (${role}).`)
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error)
  process.exit(1)
})
