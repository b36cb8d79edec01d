import { defineConfigWithVueTs, vueTsConfigs } from '@vue/eslint-config-typescript'
import pluginVue from 'eslint-plugin-vue'
import globals from 'globals'

export default defineConfigWithVueTs(
  { ignores: ['dist/**', 'data/**', 'coverage/**', 'node_modules/**', '.tmp/**'] },
  pluginVue.configs['flat/recommended'],
  vueTsConfigs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
    },
  },
  ...importRules(),
)

/**
 * The import rules that keep the parts apart (README, "Layout"). ESLint applies the last matching
 * `no-restricted-imports` of a file, so each folder lists every rule it keeps.
 */
function importRules() {
  const rule = (regex, message) => ({ regex, message })
  const noSrc = rule('^@/|^(\\.\\./)+src/', 'The station and the simulator import nothing from the PWA (src/); shared rules live in core/.')
  const noServer = rule('^(\\.\\./)+server/', 'The simulator never imports the station (server/).')
  const noSimulator = rule('^(\\.\\./)+simulator/', 'The station never imports the simulator: only its wiring (server/app.ts) mounts it.')
  const noHttp = rule('^(\\.\\./)+api/', "The station's services (orders, store, marketplace) never import its HTTP layer (server/api).")
  const noMall = rule('(^|/)marketplace/mall/|^\\.{1,2}/mall/', "Only the wiring (server/app.ts) picks a marketplace: the station uses the seam in server/marketplace/marketplace.ts, never MALL's wire shapes.")
  const noAllegro = rule('(^|/)marketplace/allegro/|^\\.{1,2}/allegro/', "Only the wiring (server/app.ts) picks a marketplace: the station uses the seam in server/marketplace/marketplace.ts, never Allegro's wire shapes.")
  const noVue = rule('^(vue|pinia|vue-router|@vueuse/.*)$|\\.vue$|^@/(stores|composables|components|pages)/', 'PWA services are framework-free: no Vue, Pinia, stores, composables or components.')
  const noOtherParts = rule('^(\\.\\./)+(server|simulator)/', 'The PWA imports neither the station nor the simulator; shared rules live in core/.')
  const restrict = (files, patterns, ignores = []) => ({
    files,
    ignores,
    rules: { 'no-restricted-imports': ['error', { patterns }] },
  })
  return [
    // The core is shared by the PWA, the station and the simulator: pure TypeScript that imports only itself.
    restrict(['core/**/*.ts'], [rule('^(?!\\./|#core/)', 'core/ imports only itself (no packages, no Vue, DOM storage or Node, no other part).')]),
    restrict(['src/**/*.ts', 'src/**/*.vue'], [noOtherParts]),
    restrict(['src/services/**/*.ts'], [noOtherParts, noVue]),
    restrict(['server/**/*.ts'], [noSrc, noSimulator, noMall, noAllegro], ['server/app.ts']),
    // The wiring: the one place that mounts the demo marketplace and picks the marketplace's client.
    restrict(['server/app.ts'], [noSrc]),
    restrict(['server/orders/**/*.ts', 'server/store/**/*.ts', 'server/marketplace/**/*.ts'], [noSrc, noSimulator, noHttp, noMall, noAllegro]),
    restrict(['simulator/**/*.ts'], [noSrc, noServer]),
    // What both simulators share: it serves them and imports neither.
    restrict(['simulator/common/**/*.ts'], [noSrc, noServer, rule('^\\.\\./(mall|allegro)/', 'simulator/common/ serves both simulators and imports neither of them.')]),
  ]
}
