import { readFileSync } from 'node:fs'
import { Ajv, type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'
import { parse } from 'yaml'

/**
 * Allegro's official OpenAPI document (simulator/allegro/openapi/allegro-rest-api.yaml) as a
 * response validator: ajv compiles the response schema of an operation straight from the
 * document, resolving its `$ref`s itself; OpenAPI 3.0's `nullable` is ajv's own keyword.
 */

const SPEC_FILE = new URL('../../simulator/allegro/openapi/allegro-rest-api.yaml', import.meta.url)
const MEDIA_TYPE = 'application/vnd.allegro.public.v1+json'

interface Operation {
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>
}

let loaded: { ajv: Ajv; paths: { template: string; pattern: RegExp; operations: Record<string, Operation> }[] } | null = null
const compiled = new Map<string, ValidateFunction | null>()

function load() {
  if (loaded) return loaded
  const spec = parse(readFileSync(SPEC_FILE, 'utf8'), { maxAliasCount: -1 }) as { paths: Record<string, Record<string, Operation>> }
  // strict: false lets ajv pass over OpenAPI's own keywords (example, xml, discriminator…).
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, logger: false })
  addFormats(ajv)
  // Formats OpenAPI names that JSON Schema does not; their values are typed by `type` already.
  for (const format of ['integer', 'int32', 'int64', 'float', 'double', 'byte', 'binary', 'ISO 4217', 'BCP-47 language code', 'password']) ajv.addFormat(format, true)
  nullableWithoutType(spec)
  emptyListsCount(spec as unknown as { components: { schemas: Record<string, { properties: Record<string, { minimum?: number }> }> } })
  ajv.addSchema(spec, 'allegro')
  const paths = Object.entries(spec.paths)
    .map(([template, operations]) => ({
      template,
      pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
      operations,
      params: (template.match(/\{/g) ?? []).length,
    }))
    // A literal segment wins over a parameter (/order/carriers/ALLEGRO/points before …/{carrierId}/…).
    .sort((a, b) => a.params - b.params)
  loaded = { ajv, paths }
  return loaded
}

/**
 * OpenAPI 3.0 allows `nullable: true` beside `allOf` or `$ref` with no `type`; ajv's `nullable`
 * needs a `type`, so such a schema becomes "null, or the schema".
 */
function nullableWithoutType(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) nullableWithoutType(item)
    return
  }
  if (node === null || typeof node !== 'object') return
  const schema = node as Record<string, unknown>
  for (const value of Object.values(schema)) nullableWithoutType(value)
  if (schema.nullable === true && schema.type === undefined) {
    const rest = { ...schema }
    delete rest.nullable
    for (const key of Object.keys(schema)) delete schema[key]
    schema.anyOf = [{ type: 'null' }, rest]
  }
}

/**
 * The document gives `CheckoutForms.count` and `totalCount` a minimum of 1, yet a search that finds
 * nothing can only answer 0 (Allegro does); that one bound is lifted, nothing else.
 */
function emptyListsCount(spec: { components: { schemas: Record<string, { properties: Record<string, { minimum?: number }> }> } }): void {
  const list = spec.components.schemas.CheckoutForms
  for (const key of ['count', 'totalCount']) {
    const property = list?.properties[key]
    if (property?.minimum === 1) property.minimum = 0
  }
}

function pointer(...segments: string[]): string {
  return segments.map((s) => s.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')
}

export interface SchemaCheck {
  /** "GET /order/checkout-forms 200", or null when the document has no JSON schema for this answer. */
  schema: string | null
  errors: string[]
}

/** Validates one answer of the API (path relative to the API's root) against the document. */
export function checkResponse(method: string, path: string, status: number, body: unknown): SchemaCheck {
  const { ajv, paths } = load()
  const entry = paths.find((p) => p.pattern.test(path))
  const operation = entry?.operations[method.toLowerCase()]
  const content = operation?.responses?.[String(status)]?.content?.[MEDIA_TYPE]
  if (!entry || !content?.schema) return { schema: null, errors: [] }
  const name = `${method.toUpperCase()} ${entry.template} ${status}`
  let validate = compiled.get(name)
  if (validate === undefined) {
    const ref = `allegro#/${pointer('paths', entry.template, method.toLowerCase(), 'responses', String(status), 'content', MEDIA_TYPE, 'schema')}`
    validate = ajv.compile({ $ref: ref })
    compiled.set(name, validate)
  }
  if (validate === null || validate(body)) return { schema: name, errors: [] }
  return { schema: name, errors: (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`) }
}
