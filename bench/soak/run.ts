import { spawn, type ChildProcess } from 'node:child_process'
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { buildReport, changeId, formatReport, statusWrites, type MadeChange, type MarketplaceWrite, type SoakCounts } from './report.ts'

/**
 * `npm run soak -- --minutes N --tablets T --orders O [--json] [--seed S] [--keep]`: a warehouse
 * shift against the real station and the marketplace simulator, each its own child process on
 * loopback with a fresh data folder. T tablets (the PWA's outbox code in Node, see
 * bench/pwa/soak-tablet.ts) pack, ship and deliver O orders while their Wi-Fi drops, the
 * marketplace answers 503, 429 or hangs, the station is killed (SIGKILL) and restarted on the
 * same data, customers cancel packed orders, and changes are sent twice. After the shift the
 * outages end and everything drains; then every change is matched with the marketplace's write
 * log. Exits 1 when a change was lost or duplicated, 2 when the shift could not be played.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const SOAK_USER = { name: 'soak', pin: '582946' }

interface TabletHandle {
  readonly deviceId: string
  start(deadline: number): Promise<void>
  setPackRate(perSecond: number): void
  setOffline(offline: boolean): void
  endShift(): void
  waiting(): Promise<number>
  outboxSize(): Promise<number>
  settleLook(): Promise<void>
  stop(): Promise<void>
}

/** bench/pwa/soak-tablet.ts, loaded by URL: it compiles with the app's settings, this file with Node's. */
interface TabletModule {
  createTablet(options: {
    index: number
    tablets: number
    dbName: string
    baseUrl: string
    user: string
    pin: string
    random: () => number
    isSoakOrder: (orderId: number) => boolean
    handoverMs: () => number
    deliveryMs: () => number
    duplicateChance: number
    events: {
      made(change: { key: string; tablet: number; orderId: number; status: string; madeAt: number }): void
      acknowledged(key: string, at: number): void
      refused(key: string): void
      discarded(key: string): void
      duplicateSent(kind: 'lost-answer' | 'twice'): void
      conflictShown(kind: 'change' | 'order'): void
    }
  }): TabletHandle
}

// ------------------------------------------------------------------ arguments

function options() {
  const { values } = parseArgs({
    options: {
      minutes: { type: 'string', default: '3' },
      tablets: { type: 'string', default: '10' },
      orders: { type: 'string', default: '2000' },
      seed: { type: 'string', default: '1' },
      'drain-seconds': { type: 'string', default: '240' },
      json: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  })
  if (values.help) {
    console.log('Usage: npm run soak -- [--minutes 3] [--tablets 10] [--orders 2000] [--seed 1] [--drain-seconds 240] [--json] [--keep]')
    process.exit(0)
  }
  const number = (name: string, raw: string, min: number, max: number) => {
    const n = Number(raw)
    if (!Number.isFinite(n) || n < min || n > max) {
      console.error(`--${name} must be a number from ${min} to ${max}, not "${raw}".`)
      process.exit(2)
    }
    return n
  }
  return {
    minutes: number('minutes', values.minutes, 0.25, 24 * 60),
    tablets: Math.round(number('tablets', values.tablets, 1, 200)),
    orders: Math.round(number('orders', values.orders, 1, 100_000)),
    seed: Math.round(number('seed', values.seed, 0, 2 ** 31)),
    drainSeconds: number('drain-seconds', values['drain-seconds'], 10, 3600),
    json: values.json,
    keep: values.keep,
  }
}

// ------------------------------------------------------------------ small helpers

function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

async function call(
  url: string,
  method = 'GET',
  body?: unknown,
  headers: Record<string, string> = {},
  timeoutMs = 10_000,
): Promise<{ status: number; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any -- whatever the station or the simulator sent
  try {
    const response = await fetch(url, {
      method,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    })
    const text = await response.text()
    let parsed: unknown = null
    try {
      parsed = text ? JSON.parse(text) : null
    } catch {
      parsed = null
    }
    return { status: response.status, body: parsed }
  } catch {
    return { status: 0, body: null }
  }
}

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await check()) return
    await sleep(200)
  }
  throw new Error(`${what} did not come up within ${timeoutMs / 1000} s`)
}

/** The station's settings and the simulator's, so a setting of the caller's shell cannot leak in. */
const SETTINGS = /^(PORT|HOST|HTTPS_PORT|DATA_DIR|MARKETPLACE|MALL_|POLL_|SIM_|PRINTERS|TLS_|TSX_TSCONFIG_PATH)/

function childEnv(own: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(process.env)) if (!SETTINGS.test(key)) env[key] = value
  return { ...env, ...own }
}

// ------------------------------------------------------------------ child processes

class Children {
  private readonly running = new Set<ChildProcess>()
  private closed = false

  constructor(private readonly logDir: string) {}

  /** `node --import tsx SCRIPT ARGS`, its output appended to LOGDIR/NAME.log. */
  start(name: string, script: string, env: Record<string, string>, args: string[] = []): ChildProcess {
    if (this.closed) throw new Error('the soak is stopping: nothing more is started')
    const fd = openSync(join(this.logDir, `${name}.log`), 'a')
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, env: childEnv(env), stdio: ['ignore', fd, fd] })
      this.running.add(child)
      child.once('exit', () => this.running.delete(child))
      return child
    } finally {
      closeSync(fd)
    }
  }

  async run(name: string, script: string, env: Record<string, string>, args: string[]): Promise<void> {
    const child = this.start(name, script, env, args)
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)))
    if (code !== 0) throw new Error(`${script} ${args.join(' ')} failed (exit ${code}); see ${join(this.logDir, `${name}.log`)}`)
  }

  async kill(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    child.kill(signal)
    await Promise.race([exited, sleep(5000)])
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL')
      await Promise.race([exited, sleep(2000)])
    }
  }

  async stopAll(): Promise<void> {
    this.closed = true
    await Promise.all([...this.running].map((child) => this.kill(child, 'SIGTERM')))
  }

  /** Last resort when the process exits anyway: nothing started here outlives it. */
  killAllNow(): void {
    for (const child of this.running) child.kill('SIGKILL')
  }
}

// ------------------------------------------------------------------ /proc

function procFigures(pid: number | undefined): { rssMb: number | null; sockets: number | null; fds: number | null } {
  if (pid === undefined) return { rssMb: null, sockets: null, fds: null }
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const rss = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)
    const fds = readdirSync(`/proc/${pid}/fd`)
    let sockets = 0
    for (const fd of fds) {
      try {
        if (readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('socket:')) sockets++
      } catch {
        // closed meanwhile
      }
    }
    return { rssMb: rss ? Number(rss[1]) / 1024 : null, sockets, fds: fds.length }
  } catch {
    return { rssMb: null, sockets: null, fds: null }
  }
}

// ------------------------------------------------------------------ the shift

async function main(): Promise<number> {
  const opts = options()
  const say = (line: string) => process.stderr.write(`${line}\n`)
  const random = mulberry32(opts.seed)
  const between = (lo: number, hi: number) => lo + random() * (hi - lo)
  const shiftMs = opts.minutes * 60_000

  const dir = mkdtempSync(join(tmpdir(), 'picking-soak-'))
  const children = new Children(dir)
  const tablets: TabletHandle[] = []
  const timers: NodeJS.Timeout[] = []
  let cleanedUp = false
  const cleanup = async () => {
    if (cleanedUp) return
    cleanedUp = true
    for (const timer of timers) clearInterval(timer)
    await Promise.all(tablets.map((t) => t.stop().catch(() => undefined)))
    await children.stopAll()
    if (opts.keep) say(`Kept the data folders and logs in ${dir}`)
    else rmSync(dir, { recursive: true, force: true })
  }
  const onSignal = (signal: NodeJS.Signals) => {
    say(`${signal}: stopping the soak…`)
    void cleanup().finally(() => process.exit(130))
  }
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  process.once('exit', () => children.killAllNow())

  try {
    const [simPort, stationPort, httpsPort] = [await freePort(), await freePort(), await freePort()]
    const sim = `http://127.0.0.1:${simPort}/mall`
    const station = `http://127.0.0.1:${stationPort}`
    const stationEnv = {
      PORT: String(stationPort),
      HTTPS_PORT: String(httpsPort),
      HOST: '127.0.0.1',
      DATA_DIR: join(dir, 'station'),
      MARKETPLACE: 'mall',
      MALL_API_URL: sim,
      MALL_CLIENT_ID: 'demo',
      POLL_INTERVAL_MS: '1000',
    }
    say(`Soak: ${opts.minutes} min, ${opts.tablets} tablets, ${opts.orders} orders, seed ${opts.seed}; data and logs in ${dir}`)

    // The marketplace, its own process: killing the station leaves it running.
    children.start('simulator', 'simulator/mall/main.ts', {
      PORT: String(simPort),
      HOST: '127.0.0.1',
      DATA_DIR: join(dir, 'simulator'),
      SIM_ACTIVITY: 'off',
      MALL_CLIENT_ID: 'demo',
    })
    await waitUntil('the simulator', async () => (await call(`${sim}/_sim/outage`)).status === 200, 60_000)

    const soakOrders = new Set<number>()
    const createOrders = async (n: number) => {
      let left = n
      const worker = async () => {
        while (left > 0) {
          left--
          const answer = await call(`${sim}/_sim/orders`, 'POST', { mdp: false })
          if (answer.status === 201 && typeof answer.body?.data?.id === 'number') soakOrders.add(answer.body.data.id)
        }
      }
      await Promise.all(Array.from({ length: 4 }, worker))
    }
    // A quarter of the orders wait when the shift starts; the rest arrive during its first 60 %.
    const upfront = Math.ceil(opts.orders * 0.25)
    await createOrders(upfront)

    await children.run('users', 'server/users-cli.ts', stationEnv, ['add', SOAK_USER.name, SOAK_USER.pin, 'picker', 'Soak packer'])
    let stationChild = children.start('station', 'server/main.ts', stationEnv)
    const stationUp = async () => (await call(`${station}/api/health`, 'GET', undefined, {}, 2000)).status === 200
    await waitUntil('the station', stationUp, 90_000)
    // The station's memory just after it started, beside the figure at the end.
    let rssAfterStart = procFigures(stationChild.pid).rssMb

    // ------------------------------------------------------------ bookkeeping
    const changes = new Map<string, MadeChange>()
    const packedNotShipped = new Set<number>()
    const shippedOrders = new Set<number>()
    const counts: SoakCounts = {
      tablets: opts.tablets,
      orders: opts.orders,
      minutes: opts.minutes,
      offline_windows: 0,
      marketplace_outages: {},
      station_kills: 0,
      customer_cancellations: 0,
      duplicate_sends: 0,
      conflicts_shown: { changes: 0, orders: 0 },
    }
    const events = {
      made(change: { key: string; tablet: number; orderId: number; status: string; madeAt: number }) {
        changes.set(change.key, { ...change, ackedAt: null, settled: null })
        if (change.status !== 'shipping') {
          packedNotShipped.delete(change.orderId)
          shippedOrders.add(change.orderId)
        }
      },
      acknowledged(key: string, at: number) {
        const change = changes.get(key)
        if (!change || change.ackedAt !== null) return
        change.ackedAt = at
        if (change.status === 'shipping' && !shippedOrders.has(change.orderId)) packedNotShipped.add(change.orderId)
      },
      refused(key: string) {
        const change = changes.get(key)
        if (change && change.ackedAt === null) change.settled = 'refused'
      },
      discarded(key: string) {
        const change = changes.get(key)
        if (change && change.ackedAt === null && change.settled === null) change.settled = 'discarded'
      },
      duplicateSent() {
        counts.duplicate_sends++
      },
      conflictShown(kind: 'change' | 'order') {
        counts.conflicts_shown[kind === 'change' ? 'changes' : 'orders']++
      },
    }

    // The marketplace's write log, read as it grows.
    const log: MarketplaceWrite[] = []
    let lastSeq = 0
    const readLog = async () => {
      const answer = await call(`${sim}/_sim/log?after=${lastSeq}`, 'GET', undefined, {}, 20_000)
      if (answer.status !== 200 || !Array.isArray(answer.body?.data)) return
      const seenAt = Date.now()
      for (const entry of answer.body.data as Array<Omit<MarketplaceWrite, 'seenAt'>>) {
        log.push({ seq: entry.seq, method: entry.method, path: entry.path, body: entry.body, status: entry.status, seenAt })
        lastSeq = Math.max(lastSeq, entry.seq)
      }
    }
    let logging = true
    const logLoop = (async () => {
      while (logging) {
        await readLog()
        await sleep(500)
      }
    })()
    let peakRssMb = 0
    const memoryLoop = setInterval(() => {
      const rss = procFigures(stationChild.pid).rssMb
      if (rss !== null) peakRssMb = Math.max(peakRssMb, rss)
    }, 2000)
    timers.push(memoryLoop)

    // ------------------------------------------------------------ tablets
    const tabletModule = (await import(pathToFileURL(join(ROOT, 'bench/pwa/soak-tablet.ts')).href)) as TabletModule
    const packRate = opts.orders / opts.tablets / ((shiftMs * 0.75) / 1000)
    for (let index = 0; index < opts.tablets; index++) {
      tablets.push(
        tabletModule.createTablet({
          index,
          tablets: opts.tablets,
          dbName: `picking-soak-${process.pid}-${index}`,
          baseUrl: station,
          user: SOAK_USER.name,
          pin: SOAK_USER.pin,
          random: mulberry32(opts.seed * 1000 + index + 1),
          isSoakOrder: (id) => soakOrders.has(id),
          handoverMs: () => between(0.04, 0.1) * shiftMs,
          deliveryMs: () => between(0.04, 0.1) * shiftMs,
          duplicateChance: 0.03,
          events,
        }),
      )
    }
    // One after another, as people arrive: from one address (loopback), sign-ins all at once
    // would look like guessing to the station's sign-in limits.
    for (const t of tablets) await t.start(Date.now() + 60_000)
    for (const t of tablets) t.setPackRate(packRate)

    const shiftStart = Date.now()
    const shiftEnd = shiftStart + shiftMs
    const endOfShift = new AbortController()
    const nap = (ms: number) =>
      new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer)
          endOfShift.signal.removeEventListener('abort', done)
          resolve()
        }
        const timer = setTimeout(done, ms)
        endOfShift.signal.addEventListener('abort', done, { once: true })
      })
    const over = () => endOfShift.signal.aborted || Date.now() >= shiftEnd
    let outage = 'off'
    let stationDown = false

    const progress = setInterval(() => {
      const all = [...changes.values()]
      const applied = [...statusWrites(log).values()].reduce((sum, w) => sum + w.applied, 0)
      const offline = counts.offline_windows
      say(
        `[${Math.round((Date.now() - shiftStart) / 1000)} s] orders ${soakOrders.size}, changes made ${all.length}, acknowledged ${all.filter((c) => c.ackedAt !== null).length}, ` +
          `applied at the marketplace ${applied}; marketplace ${outage}, station ${stationDown ? 'down' : 'up'}, offline windows so far ${offline}`,
      )
    }, 10_000)
    timers.push(progress)

    const loops: Array<Promise<void>> = []
    // Orders keep arriving during the first 60 % of the shift.
    loops.push(
      (async () => {
        const rest = opts.orders - upfront
        let created = 0
        while (!over() && created < rest) {
          const due = Math.min(rest, Math.ceil(((Date.now() - shiftStart) / (shiftMs * 0.6)) * rest))
          if (due > created) {
            await createOrders(due - created)
            created = due
          }
          await nap(500)
        }
      })(),
    )
    // Each tablet's Wi-Fi drops now and then.
    for (const tablet of tablets) {
      loops.push(
        (async () => {
          await nap(between(2000, 20_000))
          while (!over()) {
            const length = between(2000, 12_000)
            if (Date.now() + length > shiftEnd) break
            tablet.setOffline(true)
            counts.offline_windows++
            await nap(length)
            tablet.setOffline(false)
            await nap(between(5000, 25_000))
          }
          tablet.setOffline(false)
        })(),
      )
    }
    // The marketplace fails, rate-limits or hangs for a few seconds at a time.
    loops.push(
      (async () => {
        await nap(between(5000, 15_000))
        while (!over()) {
          const mode = (['503', '429', 'hang'] as const)[Math.floor(random() * 3)] ?? '503'
          if ((await call(`${sim}/_sim/outage`, 'POST', { mode })).status === 200) {
            outage = mode
            counts.marketplace_outages[mode] = (counts.marketplace_outages[mode] ?? 0) + 1
          }
          await nap(between(3000, 9000))
          await call(`${sim}/_sim/outage`, 'POST', { mode: 'off' })
          outage = 'off'
          await nap(between(8000, 25_000))
        }
      })(),
    )
    // The station is killed (power cut, crash) and comes back on the same data a moment later.
    loops.push(
      (async () => {
        await nap(between(0.2, 0.35) * shiftMs)
        while (!over()) {
          // A restart takes a few seconds: none in the last moments of the shift.
          if (shiftEnd - Date.now() < 15_000) break
          stationDown = true
          await children.kill(stationChild, 'SIGKILL')
          counts.station_kills++
          // Not cut short by the end of the shift: the station always comes back.
          await sleep(between(1000, 4000))
          stationChild = children.start('station', 'server/main.ts', stationEnv)
          await waitUntil('the restarted station', stationUp, 90_000)
          rssAfterStart = procFigures(stationChild.pid).rssMb
          stationDown = false
          await nap(between(40_000, 70_000))
        }
      })(),
    )
    // Customers cancel orders that are packed and waiting for the carrier.
    loops.push(
      (async () => {
        const wanted = Math.max(1, Math.ceil(opts.orders * 0.015))
        const every = (shiftMs * 0.8) / wanted
        await nap(between(0.1, 0.2) * shiftMs)
        while (!over()) {
          const candidates = [...packedNotShipped]
          const id = candidates[Math.floor(random() * candidates.length)]
          if (id !== undefined) {
            packedNotShipped.delete(id)
            if ((await call(`${sim}/_sim/orders/${id}/cancel`, 'POST')).status === 200) counts.customer_cancellations++
          }
          await nap(every * between(0.5, 1.5))
        }
      })(),
    )

    await nap(shiftMs)
    endOfShift.abort()
    await Promise.all(loops)
    await call(`${sim}/_sim/outage`, 'POST', { mode: 'off' })
    outage = 'off'
    say(`Shift over after ${Math.round((Date.now() - shiftStart) / 1000)} s; outages off, every tablet online: draining…`)

    // ------------------------------------------------------------ drain
    for (const t of tablets) t.endShift()
    const drainStart = Date.now()
    const drainDeadline = drainStart + opts.drainSeconds * 1000
    let settled = false
    while (Date.now() < drainDeadline) {
      const onTablets = (await Promise.all(tablets.map((t) => t.outboxSize()))).reduce((a, b) => a + b, 0)
      const health = await call(`${station}/api/health`, 'GET', undefined, {}, 5000)
      const atStation = health.status === 200 ? Number(health.body?.outbox?.waiting ?? 1) : 1
      if (onTablets === 0 && atStation === 0) {
        settled = true
        break
      }
      await sleep(1000)
    }
    const drainSeconds = (Date.now() - drainStart) / 1000
    if (!settled) say(`Not drained after ${opts.drainSeconds} s: what still waits counts as lost.`)
    await Promise.all(tablets.map((t) => t.settleLook()))
    logging = false
    await logLoop
    await readLog()
    clearInterval(progress)
    clearInterval(memoryLoop)

    // The station's figures at the end, tablets still connected.
    const figures = procFigures(stationChild.pid)
    if (figures.rssMb !== null) peakRssMb = Math.max(peakRssMb, figures.rssMb)

    // Acknowledged changes with no applied write: the station's history says whether the marketplace refused them.
    const writes = statusWrites(log)
    const stationStates = new Map<string, string>()
    const unwritten = [...changes.values()].filter((c) => c.ackedAt !== null && (writes.get(changeId(c.orderId, c.status))?.applied ?? 0) === 0)
    if (unwritten.length > 0) {
      const signIn = await call(`${station}/api/session`, 'POST', { user: SOAK_USER.name, pin: SOAK_USER.pin, device_id: 'soak-report' })
      const token = signIn.body?.token as string | undefined
      for (const orderId of new Set(unwritten.map((c) => c.orderId))) {
        const answer = await call(`${station}/api/orders/${orderId}`, 'GET', undefined, token ? { authorization: `Bearer ${token}` } : {})
        for (const entry of (answer.body?.history ?? []) as Array<{ action: string; details: { to?: string }; marketplace_state: string }>) {
          if (entry.action === 'status' && typeof entry.details?.to === 'string') stationStates.set(changeId(orderId, entry.details.to), entry.marketplace_state)
        }
      }
    }

    const report = buildReport({
      changes: [...changes.values()],
      log,
      stationStates,
      shift: counts,
      station: { rss_mb: figures.rssMb, rss_after_start_mb: rssAfterStart, peak_rss_mb: peakRssMb || null, open_sockets: figures.sockets, open_fds: figures.fds },
      drainSeconds,
    })
    if (opts.json) console.log(JSON.stringify(report, null, 2))
    else console.log(`\nSoak report\n\n${formatReport(report)}`)
    return report.ok ? 0 : 1
  } catch (error) {
    say(`The soak could not be played: ${(error as Error).stack ?? error}`)
    say(`Logs of the station and the simulator: ${dir} (kept)`)
    opts.keep = true
    return 2
  } finally {
    await cleanup()
  }
}

process.exit(await main())
