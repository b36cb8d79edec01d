import { showLanguage, t } from '@/i18n'
import { languageFromBrowser } from '@/i18n/languages'

/**
 * What the app shows where the browser gives it no secure context (plain HTTP on the network):
 * no service worker, no `crypto.randomUUID`, no Web Locks, so it cannot work, and must say why
 * rather than stay blank. The station's plain-HTTP port has the setup page that makes the device
 * trust the station's HTTPS. Plain DOM: nothing of the app is started.
 */
export async function showInsecureContext(root: HTMLElement, location: Location = window.location): Promise<void> {
  // In the browser's language; nothing is kept (there is no secure storage to keep it in).
  await showLanguage(languageFromBrowser(navigator.languages ?? []))
  const setup = new URL('/setup', location.href).href
  const box = document.createElement('main')
  box.className = 'insecure-context'
  box.setAttribute('role', 'alert')
  box.style.cssText = 'max-width: 36rem; margin: 3rem auto; padding: 0 1.25rem; font: 16px/1.5 system-ui, sans-serif'
  const title = document.createElement('h1')
  title.textContent = t('insecure.title')
  const why = document.createElement('p')
  why.textContent = t('insecure.why', { origin: location.origin })
  const next = document.createElement('p')
  const link = document.createElement('a')
  link.href = setup
  link.textContent = t('insecure.setUp')
  next.append(link, ` ${t('insecure.then')}`)
  box.append(title, why, next)
  root.replaceChildren(box)
  document.title = `${t('insecure.setUp')} · ${t('app.name')}`
}
