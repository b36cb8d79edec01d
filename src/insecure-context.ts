/**
 * What the app shows where the browser gives it no secure context (plain HTTP on the network):
 * no service worker, no `crypto.randomUUID`, no Web Locks, so it cannot work, and must say why
 * rather than stay blank. The station's plain-HTTP port has the setup page that makes the device
 * trust the station's HTTPS. Plain DOM: nothing of the app is started.
 */
export function showInsecureContext(root: HTMLElement, location: Location = window.location): void {
  const setup = new URL('/setup', location.href).href
  const box = document.createElement('main')
  box.className = 'insecure-context'
  box.setAttribute('role', 'alert')
  box.style.cssText = 'max-width: 36rem; margin: 3rem auto; padding: 0 1.25rem; font: 16px/1.5 system-ui, sans-serif'
  const title = document.createElement('h1')
  title.textContent = 'This device is not set up for the picking station yet'
  const why = document.createElement('p')
  why.textContent =
    `The picking app works only over a secure (HTTPS) connection: it keeps orders on the device for ` +
    `working offline and keeps PINs private on the network. ${location.origin} is not secure.`
  const next = document.createElement('p')
  const link = document.createElement('a')
  link.href = setup
  link.textContent = 'Set up this device'
  next.append(link, ' (once per device), then open the app at the HTTPS address that page shows.')
  box.append(title, why, next)
  root.replaceChildren(box)
  document.title = 'Set up this device · Picking station'
}
