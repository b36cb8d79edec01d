import { isIP } from 'node:net'
import { hostname, networkInterfaces } from 'node:os'

/**
 * The names and addresses a tablet may use to reach the station, all of which its HTTPS
 * certificate must carry: every address of the machine, its host name (and `NAME.local`, as mDNS
 * announces it), `localhost`, and the extra names a warehouse configures (`TLS_HOSTNAMES`).
 */

export interface StationNames {
  /** DNS names, lower case, sorted. */
  dns: string[]
  /** IP addresses, in canonical form (IPv6 compressed), sorted. */
  ips: string[]
}

const HOST_NAME = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i

/** Whether `name` can go in a certificate as a DNS name (a wildcard first label is allowed). */
export function isHostName(name: string): boolean {
  return name.length <= 253 && HOST_NAME.test(name) && isIP(name) === 0
}

/** The canonical text of an IP address (`::0001` and `::1` are one address), or null. */
export function canonicalIp(address: string): string | null {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '')
  const version = isIP(bare)
  if (version === 4) return bare
  if (version === 6) return new URL(`http://[${bare}]/`).hostname.replace(/^\[|\]$/g, '')
  return null
}

type Interfaces = ReturnType<typeof networkInterfaces>

/** The station's names: this machine's addresses and host name, loopback, and `extra` (names or addresses). */
export function stationNames(extra: string[] = [], interfaces: Interfaces = networkInterfaces(), host: string = hostname()): StationNames {
  const dns = new Set<string>(['localhost'])
  const ips = new Set<string>(['127.0.0.1', '::1'])
  const short = host.trim().toLowerCase()
  if (isHostName(short) && !short.startsWith('*')) {
    dns.add(short)
    // A host name without a domain is announced as NAME.local by mDNS (Avahi, Bonjour).
    if (!short.includes('.')) dns.add(`${short}.local`)
  }
  for (const net of Object.values(interfaces).flat()) {
    if (!net) continue
    const ip = canonicalIp(net.address)
    // Link-local IPv6 (fe80::/10) needs a zone no browser address bar takes.
    if (ip && !/^fe[89ab]/i.test(ip)) ips.add(ip)
  }
  for (const name of extra) {
    const ip = canonicalIp(name)
    if (ip) ips.add(ip)
    else if (isHostName(name)) dns.add(name.toLowerCase())
  }
  return { dns: [...dns].sort(), ips: [...ips].sort() }
}

/** The addresses tablets use: the machine's IPv4 addresses other than loopback, in interface order. */
export function lanAddresses(interfaces: Interfaces = networkInterfaces()): string[] {
  return Object.values(interfaces)
    .flat()
    .filter((net) => net && net.family === 'IPv4' && !net.internal)
    .map((net) => net?.address as string)
}

/** Whether a client's address is this machine's loopback (127.0.0.0/8, ::1, or IPv4-mapped loopback). */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false
  const ip = canonicalIp(address)
  if (!ip) return false
  // IPv4-mapped: `::ffff:127.0.0.1` as sockets give it, `::ffff:7f00:1` once canonical.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address.replace(/^\[|\]$/g, ''))?.[1] ?? ip
  return ip === '::1' || /^127\.\d+\.\d+\.\d+$/.test(mapped) || /^::ffff:7f[0-9a-f]{2}:/i.test(ip)
}

/** Whether a `Host` header names this machine's loopback: `localhost` (or `*.localhost`), 127.x.y.z, [::1]. */
export function isLoopbackHost(host: string | undefined): boolean {
  const name = hostOf(host)
  if (name === null) return false
  return name === 'localhost' || name.endsWith('.localhost') || isLoopbackAddress(name)
}

/** The host name of a `Host` header (`a.b:8080` → `a.b`, `[::1]:80` → `::1`), lower case; null when it is not one. */
export function hostOf(host: string | undefined): string | null {
  if (!host) return null
  try {
    const url = new URL(`http://${host}/`)
    if (url.username || url.password || url.pathname !== '/' || url.search) return null
    return url.hostname.replace(/^\[|\]$/g, '').toLowerCase()
  } catch {
    return null
  }
}

/** `host` as it goes in a URL: IPv6 addresses in brackets. */
export function urlHost(host: string): string {
  return isIP(host) === 6 ? `[${host}]` : host
}
