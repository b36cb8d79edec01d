import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import QueuePage from '@/pages/QueuePage.vue'
import { useSessionStore } from '@/stores/session'

const routes: RouteRecordRaw[] = [
  { path: '/sign-in', name: 'sign-in', component: () => import('@/pages/SignInPage.vue'), meta: { public: true } },
  // The queue is the first screen of the day: in the main bundle, not a chunk fetched after.
  { path: '/', name: 'queue', component: QueuePage },
  { path: '/orders/:id(\\d+)', name: 'order', component: () => import('@/pages/OrderPage.vue'), props: (route) => ({ id: Number(route.params.id) }) },
  { path: '/orders/:id(\\d+)/pack', name: 'pack', component: () => import('@/pages/PackPage.vue'), props: (route) => ({ id: Number(route.params.id) }) },
  // Printing loads on demand: the papers, barcodes and ZPL are not in the first download.
  {
    path: '/orders/:id(\\d+)/print/:doc(note|label)',
    name: 'print',
    component: () => import('@/pages/PrintPage.vue'),
    props: (route) => ({ id: Number(route.params.id), doc: route.params.doc }),
  },
  { path: '/handover', name: 'handover', component: () => import('@/pages/HandoverPage.vue') },
  { path: '/settings', name: 'settings', component: () => import('@/pages/SettingsPage.vue') },
  { path: '/people', name: 'people', component: () => import('@/pages/PeoplePage.vue') },
  { path: '/batch', name: 'batch', component: () => import('@/pages/BatchPage.vue') },
  // The order desk (leads and the office): its search, exports and import load on demand.
  { path: '/desk', name: 'desk', component: () => import('@/pages/DeskPage.vue') },
  { path: '/conflicts', name: 'conflicts', component: () => import('@/pages/ConflictsPage.vue') },
  { path: '/:pathMatch(.*)*', redirect: '/' },
]

export const router = createRouter({ history: createWebHistory(), routes })

router.beforeEach(async (to) => {
  const session = useSessionStore()
  await session.load()
  if (!to.meta.public && !session.token) return { name: 'sign-in', query: to.fullPath === '/' ? {} : { next: to.fullPath } }
  if (to.name === 'sign-in' && session.token) return { name: 'queue' }
  return true
})
