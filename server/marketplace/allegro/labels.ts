import { randomUUID } from 'node:crypto'
import type { Seller } from '#core/seller.ts'
import { MarketplaceError, type LabelsAnswer } from '../marketplace.ts'
import type { AllegroApi } from './api.ts'
import type { AllegroStore } from './store.ts'
import { createCommandSchema, shipmentDetailSchema, type CheckoutForm } from './wire.ts'

/** How often a create command is asked about before the station tries again later. */
const LABEL_POLLS = 10

export interface AllegroLabelsDeps {
  api: AllegroApi
  store: AllegroStore
  /** The seller's address, the sender when Allegro proposes none. */
  sender: () => Seller
  sleep: (ms: number) => Promise<void>
}

/**
 * Allegro's own labels ("Wysyłam z Allegro"): one asynchronous create command per parcel (its id
 * kept before it is sent, so a retry polls it instead of making a second parcel; Allegro answers a
 * reused id with COMMAND_EXISTS), then the label document (PDF or ZPL) of the shipments, and each
 * parcel's waybill, which Allegro also adds to the order.
 */
export class AllegroLabels {
  constructor(private readonly deps: AllegroLabelsDeps) {}

  /** Labels for `parcelCount` parcels of an order whose form was just read (and is not cancelled). */
  async request(id: number, form: CheckoutForm, request: { labels_type: 'pdf' | 'zpl'; parcel_count: number }): Promise<LabelsAnswer> {
    const shipmentIds: string[] = []
    for (let parcel = 1; parcel <= request.parcel_count; parcel++) {
      shipmentIds.push(await this.shipmentFor(id, form, parcel, request.labels_type))
    }
    return this.labelsOf(shipmentIds)
  }

  /**
   * One parcel's shipment: its create command is saved before it is sent, so a retry after a
   * timeout or a restart polls the same command instead of making a second parcel.
   */
  private async shipmentFor(id: number, form: CheckoutForm, parcel: number, labelsType: 'pdf' | 'zpl'): Promise<string> {
    let command = this.deps.store.labelCommand(id, parcel)
    if (command?.state === 'done' && command.shipment_id) return command.shipment_id
    if (!command) {
      command = { command_id: randomUUID(), number: id, labels_type: labelsType, parcel, shipment_id: null, state: 'sent', error: null }
      this.deps.store.saveLabelCommand(command)
      const input = await this.shipmentInput(form, labelsType)
      try {
        await this.deps.api.json('POST', '/shipment-management/shipments/create-commands', { body: { commandId: command.command_id, input } })
      } catch (error) {
        // Sent before (the answer was lost): poll it.
        if (!(error instanceof MarketplaceError && error.code === 'COMMAND_EXISTS')) {
          if (error instanceof MarketplaceError && error.kind === 'refused') this.deps.store.saveLabelCommand({ ...command, state: 'failed', error: error.message })
          throw error
        }
      }
    }
    for (let poll = 0; poll < LABEL_POLLS; poll++) {
      const answer = await this.deps.api.json('GET', `/shipment-management/shipments/create-commands/${encodeURIComponent(command.command_id)}`)
      const state = createCommandSchema.parse(answer.body ?? {})
      if (state.status === 'SUCCESS' && state.shipmentId) {
        this.deps.store.saveLabelCommand({ ...command, shipment_id: state.shipmentId, state: 'done' })
        return state.shipmentId
      }
      if (state.status === 'ERROR') {
        const message = `Allegro could not make the parcel’s label: ${JSON.stringify(state.errors ?? []).slice(0, 300)}`
        this.deps.store.saveLabelCommand({ ...command, state: 'failed', error: message })
        throw new MarketplaceError('refused', message, 422, 'LABEL_COMMAND_FAILED')
      }
      await this.deps.sleep(Math.min(5000, Math.max(200, (Number(answer.headers.get('retry-after')) || 0.5) * 1000)))
    }
    throw new MarketplaceError('unavailable', 'Allegro is still making the label: the station asks again shortly.', null, null, 5000, true)
  }

  /** Allegro's proposal for the parcel when it makes one, else the order's address and the seller's. */
  private async shipmentInput(form: CheckoutForm, labelsType: 'pdf' | 'zpl'): Promise<Record<string, unknown>> {
    const labelFormat = labelsType === 'zpl' ? 'ZPL' : 'PDF'
    try {
      const proposal = (await this.deps.api.json<{ suggestedInput?: Record<string, unknown> }>('GET', `/shipment-management/delivery-proposals/${encodeURIComponent(form.id)}`)).body
      if (proposal?.suggestedInput) return { ...proposal.suggestedInput, labelFormat }
    } catch (error) {
      if (!(error instanceof MarketplaceError && error.kind === 'refused')) throw error
    }
    const seller = this.deps.sender()
    const to = form.delivery?.address
    const cod = form.payment?.type === 'CASH_ON_DELIVERY' ? { amount: form.summary.totalToPay.amount, currency: form.summary.totalToPay.currency } : undefined
    return {
      deliveryMethodId: form.delivery?.method?.id ?? undefined,
      sender: { name: seller.name, street: seller.street, city: seller.city, postalCode: seller.zip, countryCode: seller.country, email: seller.email ?? '', phone: seller.phone ?? '' },
      receiver: {
        name: [to?.firstName, to?.lastName].filter(Boolean).join(' '),
        company: to?.companyName ?? undefined,
        street: to?.street ?? '',
        city: to?.city ?? '',
        postalCode: to?.zipCode ?? '',
        countryCode: to?.countryCode ?? '',
        email: form.buyer.email ?? '',
        phone: to?.phoneNumber ?? form.buyer.phoneNumber ?? '',
        ...(form.delivery?.pickupPoint?.id ? { point: form.delivery.pickupPoint.id } : {}),
      },
      packages: [
        {
          type: 'PACKAGE',
          length: { value: 30, unit: 'CENTIMETER' },
          width: { value: 20, unit: 'CENTIMETER' },
          height: { value: 10, unit: 'CENTIMETER' },
          weight: { value: 1, unit: 'KILOGRAMS' },
        },
      ],
      ...(cod ? { cashOnDelivery: cod } : {}),
      labelFormat,
      referenceNumber: form.id.slice(0, 30),
    }
  }

  private async labelsOf(shipmentIds: string[]): Promise<LabelsAnswer> {
    const document = await this.deps.api.binary('POST', '/shipment-management/label', { body: { shipmentIds, pageSize: 'A6', cutLine: false } })
    const barcodes: string[] = []
    for (const shipmentId of shipmentIds) {
      const detail = shipmentDetailSchema.parse((await this.deps.api.json('GET', `/shipment-management/shipments/${encodeURIComponent(shipmentId)}`)).body ?? {})
      barcodes.push(...(detail.packages ?? []).map((p) => p.waybill).filter((w): w is string => !!w))
    }
    return { labels_raw: document.body.toString('base64'), barcodes }
  }

  /** The labels of the parcels made so far for an order, or null when none is. */
  async last(id: number): Promise<{ parcel_count: number; labels_type: string; labels_raw: string; barcodes: string[] } | null> {
    const done = this.deps.store.doneLabelCommands(id)
    if (done.length === 0) return null
    const labelsType = done[0]?.labels_type === 'zpl' ? 'zpl' : 'pdf'
    const labels = await this.labelsOf(done.map((c) => c.shipment_id as string))
    return { parcel_count: done.length, labels_type: labelsType, labels_raw: labels.labels_raw, barcodes: labels.barcodes }
  }
}
