import type { FastifyInstance, FastifyRequest } from 'fastify'
import { LANGUAGES } from '#core/languages.ts'
import { z } from 'zod'
import { checkTemplate } from '#core/carriers.ts'
import { canonicalTimeZone } from '#core/datetime.ts'
import type { PrintResult, StationSettings } from '#core/station-api.ts'
import { PRINTER_ADDRESS, PRINTER_ID, splitAddress, validPort } from '../printing/printers.ts'
import { PrinterUnreachableError, sendRawJob } from '../printing/raw-print.ts'
import type { AuditLog } from '../store/audit.ts'
import type { OrderRepository } from '../store/orders.ts'
import type { SettingsStore } from '../store/settings.ts'
import { deviceId } from './device.ts'
import { MAX_PIN_LENGTH, MIN_PIN_LENGTH } from '../store/users.ts'
import { sendProblem } from './problem.ts'

/**
 * The station's shared settings (`/api/settings`) and printing to its label printers
 * (`/api/print`): browsers cannot open the raw socket a thermal printer listens on, so the
 * station sends the tablet's ZPL for it.
 */

export interface SettingsAndPrintingDeps {
  settings: SettingsStore
  orders: OrderRepository
  audit: AuditLog
  /** How long connecting to a printer and sending it the job may take. */
  printTimeoutMs: number
  /** The webhook address with its secret, as this request reached the station (shown to leads). */
  webhookUrl?: (request: FastifyRequest) => string
}

/** The largest ZPL job, in bytes of UTF-8. */
export const MAX_ZPL_BYTES = 2 * 1024 * 1024
/** The print call's body: the ZPL as a JSON string, where escapes may make it longer. */
export const PRINT_BODY_LIMIT = 2 * MAX_ZPL_BYTES + 64 * 1024
const MAX_COPIES = 20

const text = (max: number, what: string) =>
  z
    .string(`${what} must be text.`)
    .trim()
    .min(1, `${what} must not be empty.`)
    .max(max, `${what} must be at most ${max} characters.`)
const optionalText = (max: number, what: string) =>
  z
    .string(`${what} must be text, or null.`)
    .trim()
    .max(max, `${what} must be at most ${max} characters.`)
    .nullable()
    .default(null)
    .transform((value) => (value === '' ? null : value))

const CARRIER_ID_RULE = 'A carrier’s id is 1 to 40 small letters, digits or -, e.g. "ppl".'
const PRINTER_ID_RULE = 'A printer’s id is 1 to 40 small letters, digits or -, e.g. "packing-desk".'
const PRINTER_ADDRESS_RULE = 'A printer’s address is host:port, e.g. 192.168.1.50:9100 (9100 is the usual raw print port).'
const COPIES_RULE = 'Send copies as a whole number from 1 to 20.'
const PRINTER_ID_MISSING = 'Say which printer: printer_id is one of the printers in GET /api/settings.'
const ORDER_ID_RULE = 'Send order_id as the number of the order the label is for.'

const sellerBody = z.strictObject(
  {
    name: text(100, 'The seller’s name'),
    street: text(100, 'The seller’s street'),
    city: text(100, 'The seller’s city'),
    zip: text(20, 'The seller’s postcode'),
    country: text(60, 'The seller’s country'),
    phone: optionalText(40, 'The seller’s phone'),
    email: optionalText(100, 'The seller’s email'),
    company_id: optionalText(40, 'The company number'),
    vat_id: optionalText(40, 'The VAT number'),
  },
  'The seller takes name, street, city, zip, country, phone, email, company_id and vat_id only.',
)

const carrierBody = z.strictObject(
  {
    id: z.string(CARRIER_ID_RULE).regex(/^[a-z0-9-]{1,40}$/, CARRIER_ID_RULE),
    name: text(60, 'A carrier’s name'),
    tracking_url_template: z.string('A carrier’s tracking_url_template is a web address with {tracking_number} where the number goes.').trim().max(500, 'A tracking link must be at most 500 characters.'),
  },
  'A carrier takes id, name and tracking_url_template only.',
)

const printerBody = z.strictObject(
  {
    id: z.string(PRINTER_ID_RULE).regex(PRINTER_ID, PRINTER_ID_RULE),
    name: text(60, 'A printer’s name'),
    address: z
      .string(PRINTER_ADDRESS_RULE)
      .trim()
      .refine((address) => PRINTER_ADDRESS.test(address) && validPort(splitAddress(address).port), PRINTER_ADDRESS_RULE),
    dpi: z.union([z.literal(203), z.literal(300)], 'A printer’s dpi is 203 or 300, as on the printer’s label.'),
  },
  'A printer takes id, name, address and dpi only.',
)

const uniqueIds = (what: string) => (list: { id: string }[], ctx: z.RefinementCtx) => {
  const seen = new Set<string>()
  for (const { id } of list) {
    if (seen.has(id)) ctx.addIssue({ code: 'custom', message: `Each ${what} needs its own id: “${id}” is used twice.` })
    seen.add(id)
  }
}

const TIME_ZONE_RULE = 'The time zone is an IANA zone name such as "Europe/Prague" or "Europe/Bratislava".'

const timeZoneBody = z
  .string(TIME_ZONE_RULE)
  .trim()
  .max(64, TIME_ZONE_RULE)
  .transform((zone, ctx) => {
    const known = canonicalTimeZone(zone)
    if (known) return known
    ctx.addIssue({ code: 'custom', message: `“${zone}” is not a time zone this station knows. ${TIME_ZONE_RULE}` })
    return z.NEVER
  })

const PIN_LENGTH_RULE = `pin_min_length is the fewest digits a new PIN may have: a whole number from ${MIN_PIN_LENGTH} to ${MAX_PIN_LENGTH}.`

const PAPER_LANGUAGE_RULE = `paper_language is the language every paper is printed in (${LANGUAGES.join(', ')}), or null to print in each customer’s own.`

const settingsBody = z.strictObject(
  {
    seller: sellerBody.optional(),
    carriers: z
      .array(carrierBody, 'Send carriers as a list of carriers.')
      .min(1, 'Keep at least one carrier: packers pick one for every parcel.')
      .max(50, 'Keep at most 50 carriers.')
      .superRefine(uniqueIds('carrier'))
      .optional(),
    printers: z.array(printerBody, 'Send printers as a list of printers.').max(50, 'Keep at most 50 printers.').superRefine(uniqueIds('printer')).optional(),
    time_zone: timeZoneBody.optional(),
    pin_min_length: z
      .number(PIN_LENGTH_RULE)
      .int(PIN_LENGTH_RULE)
      .min(MIN_PIN_LENGTH, PIN_LENGTH_RULE)
      .max(MAX_PIN_LENGTH, PIN_LENGTH_RULE)
      .optional(),
    paper_language: z.enum(LANGUAGES, PAPER_LANGUAGE_RULE).nullable().optional(),
  },
  'Send the settings to change as JSON: seller, carriers, printers, time_zone and paper_language, each optional.',
)

const printBody = z.strictObject(
  {
    printer_id: z.string(PRINTER_ID_MISSING).min(1, PRINTER_ID_MISSING).max(100, PRINTER_ID_MISSING),
    zpl: z
      .string('Send the label as ZPL text in zpl.')
      .refine((zpl) => /\^XA/i.test(zpl), 'The label is not ZPL: zpl must hold at least one label starting with ^XA.')
      .refine((zpl) => Buffer.byteLength(zpl, 'utf8') <= MAX_ZPL_BYTES, 'The label is larger than 2 MB: print it as several smaller jobs.'),
    order_id: z.number(ORDER_ID_RULE).int(ORDER_ID_RULE).positive(ORDER_ID_RULE).optional(),
    copies: z.number(COPIES_RULE).int(COPIES_RULE).min(1, COPIES_RULE).max(MAX_COPIES, COPIES_RULE).optional(),
  },
  'Send printer_id and zpl, and optionally order_id and copies (1 to 20), nothing else.',
)

/** The first thing wrong with a body, as the sentence the schema gives it. */
function explain(error: z.ZodError, fallback: string): string {
  const issue = error.issues[0]
  if (!issue) return fallback
  // No JSON object at all: say what the whole body is.
  if (issue.code === 'invalid_type' && issue.path.length === 0) return fallback
  // A carrier or printer in a list is named by its place, as the lead sees the list.
  const index = issue.path.find((part) => typeof part === 'number')
  if (index === undefined) return issue.message
  const thing = String(issue.path[0]).replace(/s$/, '')
  return `${thing.charAt(0).toUpperCase()}${thing.slice(1)} ${index + 1} of the list: ${issue.message.charAt(0).toLowerCase()}${issue.message.slice(1)}`
}

export function registerSettingsAndPrinting(api: FastifyInstance, deps: SettingsAndPrintingDeps): void {
  // A lead also gets the webhook address to copy into the MALL portal; it holds its secret.
  const withWebhook = (request: FastifyRequest, settings: StationSettings): StationSettings =>
    request.session?.user.role === 'lead' && deps.webhookUrl ? { ...settings, marketplace_webhook_url: deps.webhookUrl(request) } : settings

  api.get('/settings', async (request): Promise<StationSettings> => withWebhook(request, deps.settings.get()))

  api.put('/settings', async (request, reply) => {
    const session = request.session
    if (session?.user.role !== 'lead') {
      return sendProblem(reply, 403, 'FORBIDDEN', 'Only a team lead can change the station’s settings.')
    }
    const parsed = settingsBody.safeParse(request.body)
    if (!parsed.success) {
      return sendProblem(reply, 422, 'VALIDATION_FAILED', `The settings were not saved. ${explain(parsed.error, 'Send the settings to change as a JSON object with seller, carriers, printers, time_zone and paper_language, each optional.')}`)
    }
    const change = parsed.data as Partial<StationSettings>
    for (const carrier of change.carriers ?? []) {
      const wrong = checkTemplate(carrier.tracking_url_template)
      if (wrong) return sendProblem(reply, 422, 'VALIDATION_FAILED', `The settings were not saved because of carrier “${carrier.name}”. ${wrong}`, { carrier_id: carrier.id })
    }
    const settings = withWebhook(request, deps.settings.update(change))
    deps.audit.record({
      order_id: null,
      actor: 'user',
      user: session.user.name,
      device_id: deviceId(request),
      action: 'settings',
      details: { ...change },
      marketplace_state: 'not_needed',
    })
    return settings
  })

  api.post('/print', { bodyLimit: PRINT_BODY_LIMIT }, async (request, reply) => {
    const parsed = printBody.safeParse(request.body)
    if (!parsed.success) {
      return sendProblem(reply, 422, 'VALIDATION_FAILED', `Nothing was printed. ${explain(parsed.error, 'Send printer_id and zpl, and optionally order_id and copies (1 to 20).')}`)
    }
    const job = parsed.data
    const printer = deps.settings.printer(job.printer_id)
    if (!printer) {
      return sendProblem(
        reply,
        404,
        'PRINTER_NOT_FOUND',
        `No printer '${job.printer_id}' is set up on the station: pick one from the list, or ask the team lead to add it.`,
      )
    }
    if (job.order_id !== undefined && !deps.orders.get(job.order_id)) {
      return sendProblem(reply, 404, 'NOT_FOUND', `There is no order ${job.order_id} on this station: print from the order’s own screen.`)
    }
    const copies = job.copies ?? 1
    let bytes: number
    try {
      bytes = await sendRawJob(printer.address, Buffer.from(job.zpl, 'utf8'), copies, deps.printTimeoutMs)
    } catch (error) {
      if (!(error instanceof PrinterUnreachableError)) throw error
      return sendProblem(
        reply,
        502,
        'PRINTER_UNREACHABLE',
        `The printer “${printer.name}” at ${printer.address} cannot be reached (${error.message}): check it is switched on and on the network, then print again.`,
        { printer_id: printer.id },
      )
    }
    if (job.order_id !== undefined) {
      deps.audit.record({
        order_id: job.order_id,
        actor: 'user',
        user: request.session?.user.name ?? null,
        device_id: deviceId(request),
        action: 'print',
        details: { printer_id: printer.id, bytes, copies },
        marketplace_state: 'not_needed',
      })
    }
    const result: PrintResult = { printed: true, printer_id: printer.id, bytes }
    return result
  })
}
