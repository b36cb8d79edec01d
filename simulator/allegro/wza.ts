import { randomUUID } from 'node:crypto'
import { renderLabelsPdf, renderLabelsZpl, type LabelParcel } from '../mall/labels.ts'
import { AllegroApiError, invalid, notFound } from './errors.ts'
import type { SellerWrites } from './orders.ts'
import { isoTime } from './seed.ts'
import type { AllegroState } from './state.ts'
import type { CheckoutForm } from './wire.ts'

/**
 * "Wysyłam z Allegro" (Ship with Allegro): asynchronous create commands, the parcel with its
 * Allegro waybill, the label as PDF or ZPL, and the waybill added to the order by Allegro itself
 * (#12366, #9253). Parcels find their order by the buyer's masked e-mail, not by an order id
 * (#10330).
 */

interface Address {
  name?: string
  company?: string
  street: string
  postalCode: string
  city: string
  countryCode: string
  email: string
  phone: string
  point?: string
}

export interface CreateInput {
  deliveryMethodId?: string
  sender: Address
  receiver: Address
  referenceNumber?: string
  packages: { type: string; length: Dimension; width: Dimension; height: Dimension; weight: Dimension; textOnLabel?: string }[]
  cashOnDelivery?: { amount: string; currency: string }
  labelFormat?: 'PDF' | 'ZPL'
}

interface Dimension {
  value: number
  unit: string
}

interface Command {
  commandId: string
  input: CreateInput
  createdAt: number
  status: 'IN_PROGRESS' | 'SUCCESS' | 'ERROR'
  errors: { code: string; message: string; details: string; path: string | null; userMessage: string }[]
  shipmentId: string | null
}

export interface WzaShipment {
  id: string
  deliveryMethodId?: string
  sender: Address
  receiver: Address
  referenceNumber?: string
  packages: { type: string; length: Dimension; width: Dimension; height: Dimension; weight: Dimension; waybill: string }[]
  cashOnDelivery?: { amount: string; currency: string }
  createdDate: string
  canceledDate?: string
  carrier: string
  labelFormat: 'PDF' | 'ZPL'
  additionalServices: string[]
  additionalProperties: Record<string, string>
  /** The checkout form the parcel was matched to, if any (not part of Allegro's answer). */
  orderId: string | null
}

export class ShipWithAllegro {
  private readonly commands: Map<string, Command>
  private readonly parcels: Map<string, WzaShipment>
  private counter: number

  constructor(
    private readonly state: AllegroState,
    private readonly writes: SellerWrites,
  ) {
    this.commands = state.store.load<Command>('command')
    this.parcels = state.store.load<WzaShipment>('wza')
    this.counter = this.parcels.size
  }

  /** `POST /shipment-management/shipments/create-commands`: accepted at once, done later. */
  create(body: unknown): { commandId: string; input: CreateInput } {
    const request = (body ?? {}) as { commandId?: unknown; input?: unknown }
    if (request.commandId !== undefined && (typeof request.commandId !== 'string' || request.commandId === '')) {
      throw invalid('commandId', 'commandId must be a UUID text.', 400)
    }
    const commandId = (request.commandId as string | undefined) ?? randomUUID()
    // A reused commandId is refused, never run twice (#7793).
    if (this.commands.has(commandId)) throw new AllegroApiError(400, 'COMMAND_EXISTS', `Command ${commandId} already exists: poll GET /shipment-management/shipments/create-commands/${commandId}.`, { path: 'commandId' })
    const input = checkInput(request.input)
    const command: Command = { commandId, input, createdAt: this.state.now(), status: 'IN_PROGRESS', errors: [], shipmentId: null }
    this.commands.set(commandId, command)
    this.state.store.save('command', commandId, command)
    this.settle()
    return { commandId, input }
  }

  /** `GET …/create-commands/{commandId}`. */
  status(commandId: string): { commandId: string; status: Command['status']; errors: Command['errors']; shipmentId?: string } {
    this.settle()
    const command = this.commands.get(commandId)
    if (!command) throw notFound('NOT_FOUND', `There is no create command ${commandId}.`)
    return { commandId, status: command.status, errors: command.errors, ...(command.shipmentId ? { shipmentId: command.shipmentId } : {}) }
  }

  /** `GET /shipment-management/shipments/{shipmentId}`. */
  shipment(id: string): Omit<WzaShipment, 'orderId'> {
    this.settle()
    const parcel = this.parcels.get(id)
    if (!parcel) throw notFound('NOT_FOUND', `There is no shipment ${id}.`)
    const { orderId: _orderId, ...answer } = parcel
    return structuredClone(answer)
  }

  /** `POST /shipment-management/label`: one document with the labels of the shipments, or null for none. */
  async label(body: unknown): Promise<{ bytes: Uint8Array; format: 'PDF' | 'ZPL' } | null> {
    this.settle()
    const request = (body ?? {}) as { shipmentIds?: unknown; pageSize?: unknown }
    if (!Array.isArray(request.shipmentIds) || request.shipmentIds.length === 0) throw invalid('shipmentIds', 'shipmentIds must list at least one shipment id.', 400)
    if (request.pageSize !== undefined && request.pageSize !== 'A4' && request.pageSize !== 'A6') throw invalid('pageSize', 'pageSize must be A4 or A6.', 400)
    const parcels = request.shipmentIds.map((id) => {
      const parcel = this.parcels.get(String(id))
      if (!parcel) throw notFound('NOT_FOUND', `There is no shipment ${String(id)}.`)
      return parcel
    })
    const live = parcels.filter((parcel) => parcel.canceledDate === undefined)
    if (live.length === 0) return null
    const format = live[0]?.labelFormat ?? 'PDF'
    const labels = live.map((parcel, index): LabelParcel => {
      const form = parcel.orderId ? this.state.forms.get(parcel.orderId) : undefined
      return {
        barcode: parcel.packages[0]?.waybill ?? parcel.id,
        order_id: form?.id ?? parcel.referenceNumber ?? parcel.id,
        parcel_index: index + 1,
        parcel_count: live.length,
        recipient: {
          name: parcel.receiver.name ?? '',
          company: parcel.receiver.company ?? null,
          street: parcel.receiver.street,
          city: parcel.receiver.city,
          zip: parcel.receiver.postalCode,
          country: parcel.receiver.countryCode,
          phone: parcel.receiver.phone,
        },
        pickup_point: parcel.receiver.point ? `Pickup point ${parcel.receiver.point}` : null,
        cod: parcel.cashOnDelivery ? Number(parcel.cashOnDelivery.amount.replace(',', '.')) : 0,
        currency: parcel.cashOnDelivery?.currency ?? '',
        sender: { name: parcel.sender.name ?? parcel.sender.company ?? '', street: parcel.sender.street, city: parcel.sender.city, zip: parcel.sender.postalCode, country: parcel.sender.countryCode },
        carrier: `Allegro ${parcel.carrier}`,
      }
    })
    if (format === 'ZPL') return { bytes: new TextEncoder().encode(renderLabelsZpl(labels)), format }
    return { bytes: await renderLabelsPdf(labels, { first_position: 1, labels_per_page: 1 }), format }
  }

  /** `POST /shipment-management/shipments/cancel-commands`: the parcel is cancelled at once. */
  cancel(body: unknown): { commandId: string; input: { shipmentId: string } } {
    const request = (body ?? {}) as { commandId?: unknown; input?: { shipmentId?: unknown } }
    const commandId = typeof request.commandId === 'string' && request.commandId !== '' ? request.commandId : randomUUID()
    const shipmentId = request.input?.shipmentId
    if (typeof shipmentId !== 'string') throw invalid('input.shipmentId', 'input.shipmentId is required.', 400)
    if (this.commands.has(`cancel:${commandId}`)) throw new AllegroApiError(400, 'COMMAND_EXISTS', `Command ${commandId} already exists.`, { path: 'commandId' })
    const parcel = this.parcels.get(shipmentId)
    if (!parcel) throw notFound('NOT_FOUND', `There is no shipment ${shipmentId}.`)
    parcel.canceledDate = isoTime(this.state.now())
    this.state.store.save('wza', parcel.id, parcel)
    const command: Command = { commandId, input: {} as CreateInput, createdAt: this.state.now(), status: 'SUCCESS', errors: [], shipmentId }
    this.commands.set(`cancel:${commandId}`, command)
    this.state.store.save('command', `cancel:${commandId}`, command)
    return { commandId, input: { shipmentId } }
  }

  cancelStatus(commandId: string): { commandId: string; status: string; errors: unknown[]; shipmentId?: string } {
    const command = this.commands.get(`cancel:${commandId}`)
    if (!command) throw notFound('NOT_FOUND', `There is no cancel command ${commandId}.`)
    return { commandId, status: command.status, errors: [], ...(command.shipmentId ? { shipmentId: command.shipmentId } : {}) }
  }

  /** Finishes the commands whose time has come: the parcel, its waybill, and the waybill on the order. */
  settle(): void {
    const now = this.state.now()
    for (const command of this.commands.values()) {
      if (command.status !== 'IN_PROGRESS' || now < command.createdAt + this.state.options.commandDelayMs) continue
      const form = this.matchOrder(command.input.receiver.email)
      const waybill = `A000${String(4_210_000_000 + ++this.counter * 7).padStart(10, '0')}`
      const parcel: WzaShipment = {
        id: randomUUID(),
        ...(command.input.deliveryMethodId ? { deliveryMethodId: command.input.deliveryMethodId } : {}),
        sender: command.input.sender,
        receiver: command.input.receiver,
        ...(command.input.referenceNumber ? { referenceNumber: command.input.referenceNumber } : {}),
        packages: command.input.packages.map((pkg) => ({ type: pkg.type, length: pkg.length, width: pkg.width, height: pkg.height, weight: pkg.weight, waybill })),
        ...(command.input.cashOnDelivery ? { cashOnDelivery: command.input.cashOnDelivery } : {}),
        createdDate: isoTime(now),
        carrier: form?.delivery.method.name.includes('InPost') ? 'INPOST' : 'ALLEGRO',
        labelFormat: command.input.labelFormat ?? 'PDF',
        additionalServices: [],
        // The carrier's own number sits here (#9003).
        additionalProperties: { carrierWaybill: `CW${waybill.slice(4)}` },
        orderId: form?.id ?? null,
      }
      this.parcels.set(parcel.id, parcel)
      this.state.store.save('wza', parcel.id, parcel)
      command.status = 'SUCCESS'
      command.shipmentId = parcel.id
      this.state.store.save('command', command.commandId, command)
      if (form) {
        this.writes.attach(form, {
          id: randomUUID(),
          waybill,
          carrierId: 'ALLEGRO',
          lineItems: form.lineItems.map((item) => ({ id: item.id })),
          createdAt: isoTime(now),
        })
      }
    }
  }

  /** The buyer's latest purchase under that masked e-mail that has no Allegro waybill yet (#10330, #10980). */
  private matchOrder(email: string): CheckoutForm | undefined {
    const candidates = [...this.state.forms.values()].filter(
      (form) =>
        form.buyer.email === email &&
        form.status !== 'CANCELLED' &&
        !(this.state.shipments.get(form.id) ?? []).some((s) => s.carrierId === 'ALLEGRO'),
    )
    return candidates.sort((a, b) => b.lineItems[0]!.boughtAt.localeCompare(a.lineItems[0]!.boughtAt))[0]
  }

  clear(): void {
    this.commands.clear()
    this.parcels.clear()
    this.counter = 0
  }
}

function checkInput(raw: unknown): CreateInput {
  const input = raw as Partial<CreateInput> | undefined
  if (!input || typeof input !== 'object') throw invalid('input', 'input is required: sender, receiver and packages.', 400)
  for (const side of ['sender', 'receiver'] as const) {
    const address = input[side]
    if (!address || typeof address !== 'object') throw invalid(`input.${side}`, `input.${side} is required.`, 400)
    for (const key of ['street', 'postalCode', 'city', 'countryCode', 'email', 'phone'] as const) {
      if (typeof address[key] !== 'string' || address[key] === '') throw invalid(`input.${side}.${key}`, `input.${side}.${key} is required.`, 400)
    }
  }
  if (!Array.isArray(input.packages) || input.packages.length === 0) throw invalid('input.packages', 'input.packages must hold at least one package.', 400)
  input.packages.forEach((pkg, index) => {
    for (const key of ['length', 'width', 'height', 'weight'] as const) {
      if (typeof pkg?.[key]?.value !== 'number') throw invalid(`input.packages[${index}].${key}`, `input.packages[${index}].${key}.value is required.`, 400)
    }
    if (typeof pkg.type !== 'string') throw invalid(`input.packages[${index}].type`, 'The package type is required (PACKAGE, DOX, PALLET or OTHER).', 400)
  })
  if (input.labelFormat !== undefined && input.labelFormat !== 'PDF' && input.labelFormat !== 'ZPL') throw invalid('input.labelFormat', 'labelFormat must be PDF or ZPL.', 400)
  return input as CreateInput
}
