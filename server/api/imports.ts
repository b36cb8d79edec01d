import multipart from '@fastify/multipart'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { ImportFileError, MAX_IMPORT_BYTES } from '../orders/import-file.ts'
import { reportCsv, StateImports } from '../orders/state-import.ts'
import type { Session } from '../store/users.ts'
import type { ApiDeps } from './deps.ts'
import { deviceId } from './device.ts'
import { sendProblem } from './problem.ts'

/**
 * The import of states (leads only): `POST /api/imports/dry-run` says per row what would happen,
 * `POST /api/imports` applies the file, `GET /api/imports/:id` gives an applied import's report
 * with the marketplace's answers so far (`?format=csv` as a CSV file). The file comes as
 * multipart/form-data, so a script can send it with `curl -F file=@states.csv`.
 */

/** The uploaded file's bytes and name, or null once a problem saying what to send has been sent. */
async function uploadedFile(request: FastifyRequest, reply: FastifyReply): Promise<{ bytes: Buffer; name: string | null } | null> {
  const tooLarge = () => {
    void sendProblem(reply, 413, 'FILE_TOO_LARGE', `The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB, the most an import takes: split it into several files.`)
    return null
  }
  const how = 'Send the file as multipart/form-data in a field named file, e.g. curl -F file=@states.csv.'
  if (!request.isMultipart()) {
    void sendProblem(reply, 415, 'VALIDATION_FAILED', how)
    return null
  }
  try {
    const part = await request.file()
    if (!part) {
      void sendProblem(reply, 422, 'VALIDATION_FAILED', `The request holds no file. ${how}`)
      return null
    }
    const bytes = await part.toBuffer()
    // Cut at the limit: said by an error, or (when the stream ended first) only by `truncated`.
    if (part.file.truncated) return tooLarge()
    return { bytes, name: part.filename || null }
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 413) return tooLarge()
    throw error
  }
}

function fileProblem(reply: FastifyReply, error: unknown) {
  if (error instanceof ImportFileError) return sendProblem(reply, error.status, error.code, error.message)
  throw error
}

export function registerImports(api: FastifyInstance, deps: Pick<ApiDeps, 'db' | 'clock' | 'changes' | 'imports' | 'events' | 'forwarder'>): void {
  void api.register(multipart, { limits: { fileSize: MAX_IMPORT_BYTES, files: 1, fields: 10 } })
  const imports = new StateImports(deps)

  api.post('/imports/dry-run', async (request, reply) => {
    const file = await uploadedFile(request, reply)
    if (!file) return reply
    try {
      return imports.dryRun(file.bytes, file.name)
    } catch (error) {
      return fileProblem(reply, error)
    }
  })

  api.post('/imports', async (request, reply) => {
    const file = await uploadedFile(request, reply)
    if (!file) return reply
    try {
      const { report, queued } = imports.apply(file.bytes, file.name, request.session as Session, deviceId(request))
      if (queued) {
        deps.events.notify('orders')
        deps.forwarder.kick()
      }
      return report
    } catch (error) {
      return fileProblem(reply, error)
    }
  })

  api.get('/imports/:id', async (request, reply) => {
    const id = (request.params as { id: string }).id
    const report = /^[0-9a-f]{64}$/.test(id) ? imports.find(id) : null
    if (!report) return sendProblem(reply, 404, 'NOT_FOUND', `No import ${id} was applied on this station: apply the file first.`)
    if ((request.query as Record<string, unknown>).format === 'csv') {
      const name = `import-report-${id.slice(0, 12)}.csv`
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`).send(reportCsv(report))
    }
    return report
  })
}
