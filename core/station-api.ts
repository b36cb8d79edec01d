import type { Language } from './languages'
import type { Order } from './order'
import type { Carrier } from './carriers'
import type { Seller } from './seller'
import type { CatalogueProduct } from './product'

/**
 * What the station API (`/api`) sends tablets: the marketplace's order with the station's own
 * bookkeeping, and the pages of the delta pulls. Shared by the station server and the PWA.
 */

/** Why the marketplace refused a change the station had accepted; shown to the packer. */
export interface OrderConflict {
  code: string
  message: string
  /** The refused change as the tablet sent it. */
  change: Record<string, unknown>
  /** Later changes of the same order that were not sent because they built on the refused one. */
  dropped_changes: Record<string, unknown>[]
  user: string | null
  device_id: string | null
  refused_at: string
}

/** An order as the station API shows it: the marketplace's fields plus the station's. */
export interface StationOrder extends Order {
  /** Grows on every change of the order; `If-Match` takes it. */
  revision: number
  /** When the status last changed, ISO 8601. */
  status_changed_at: string
  /** Whether the latest change has reached the marketplace. */
  synced: boolean
  /** Changes the station accepted that are not yet at the marketplace. */
  pending_changes: number
  conflict: OrderConflict | null
  /** False for orders that left the warehouse's working set (blocked, or final for over a week). */
  in_working_set: boolean
  /** Who is packing the order, while the claim lasts; null when nobody is. */
  claim: OrderClaim | null
  /** A problem a packer reported (a short pick); the order stays open until it is solved. */
  flag: OrderFlag | null
  /** The team's notes on the order, oldest first; kept on the station (MALL has no notes field). */
  notes?: OrderNote[]
  /**
   * Who packed the order: the display name of whoever sent the latest packing evidence for it
   * (their sign-in name if they are no longer a user); null when nobody packed it on this station.
   */
  packed_by?: string | null
}

/** A note on an order: a reminder or a comment for the team, with who wrote it and when. */
export interface OrderNote {
  /** Made by the tablet that wrote it, so a retried note is the same note. */
  id: string
  text: string
  user: string
  device_id: string | null
  created_at: string
  updated_at: string
  /** Who changed it last (the author, or a lead). */
  updated_by: string
}

/** The longest note, in characters. */
export const MAX_NOTE_LENGTH = 2000

export const FLAG_REASONS = ['out_of_stock', 'damaged', 'wrong_location'] as const
export type FlagReason = (typeof FLAG_REASONS)[number]

export const FLAG_WORDS: Readonly<Record<FlagReason, string>> = {
  out_of_stock: 'Out of stock',
  damaged: 'Damaged',
  wrong_location: 'Not at its bin',
}

export interface OrderFlag {
  reason: FlagReason
  /** The line short, when the problem is one product. */
  sku: string | null
  note: string | null
  user: string
  device_id: string | null
  flagged_at: string
}

/**
 * How long a claim lasts unless the packer's tablet renews it: the station's rule, which the
 * tablet also shows at once, before the station has answered.
 */
export const CLAIM_MINUTES = 30

/** A packer's claim on an order, so a second tablet sees it taken. */
export interface OrderClaim {
  user: string
  device_id: string | null
  claimed_at: string
  /** The claim lapses at this time unless renewed (ISO 8601). */
  until: string
}

export interface OrdersPage {
  orders: StationOrder[]
  cursor: string
  more: boolean
}

export interface ProductsPage {
  products: CatalogueProduct[]
  cursor: string
  more: boolean
}

export interface SignedIn {
  token: string
  user: { id: number; name: string; display_name: string; role: 'picker' | 'lead' }
  expires_at: string
}

/** A thermal label printer on the warehouse network, reached by the station on its raw port. */
export interface StationPrinter {
  id: string
  name: string
  /** `host:port`; the port is the raw print port, usually 9100. */
  address: string
  dpi: 203 | 300
}

/** What the station keeps for every tablet: who the seller is, the own carriers, the printers, the warehouse's time zone. */
export interface StationSettings {
  seller: Seller
  carriers: Carrier[]
  printers: StationPrinter[]
  /** The IANA zone (`Europe/Prague`) every time on screens and papers is written in. */
  time_zone: string
  /** The fewest digits a new PIN may have (4 to 8; PINs are at most 8); the station always sends it. */
  pin_min_length?: number
  /**
   * The language every paper of this warehouse is printed in, or null (the default) for the
   * customer's, from the order's country (core/languages.ts).
   */
  paper_language?: Language | null
  /**
   * The address to copy into the MALL portal as the webhook, with the station's secret; sent to
   * team leads only.
   */
  marketplace_webhook_url?: string
}

/** A signed-in device as a team lead sees it (`GET /api/sessions`). */
export interface StationSession {
  id: string
  user: { name: string; display_name: string; role: 'picker' | 'lead' }
  device_id: string | null
  created_at: string
  last_used_at: string
  expires_at: string
  client_address: string | null
  /** The session of the lead looking. */
  current: boolean
}

/** The answer of `POST /api/print`. */
export interface PrintResult {
  printed: true
  printer_id: string
  bytes: number
}

/** `GET /api/health`: the station is alive; whether it reaches the marketplace, and what waits for it. */
export interface StationHealth {
  status: 'ok'
  time: string
  marketplace: {
    mode: string
    reachable: boolean | null
    last_poll_at: string | null
    last_poll_ok_at: string | null
    last_error: string | null
    /** Where the seller connects the account in Settings (Allegro); absent for MALL, whose key is in the environment. */
    account?: MarketplaceAccountState['status']
  }
  outbox: {
    /** Changes the station holds for the marketplace. */
    waiting: number
    oldest_waiting_since: string | null
    last_error: string | null
    last_sent_at: string | null
  }
}

/**
 * Where the connection of the seller's marketplace account stands (`GET /api/marketplace/account`,
 * team leads): connected, not yet, ended by the marketplace (connect again), or waiting for the
 * lead to enter `user_code` on the marketplace's page (OAuth device flow). Never a token.
 */
export type MarketplaceAccountState =
  | { status: 'connected' | 'not_connected' | 'connect_again'; message: string }
  | {
      status: 'connecting'
      /** The code the lead enters on the marketplace's page. */
      user_code: string
      verification_uri: string
      /** The page with the code filled in (for the QR code), when the marketplace gives one. */
      verification_uri_complete: string | null
      expires_at: string
      message: string
    }
