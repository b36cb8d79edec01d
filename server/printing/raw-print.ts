import { connect } from 'node:net'
import { splitAddress } from './printers.ts'

/** Why a print job did not reach the printer: it refused, could not be reached, or took too long. */
export class PrinterUnreachableError extends Error {
  constructor(
    readonly reason: 'refused' | 'unreachable' | 'timeout',
    message: string,
  ) {
    super(message)
  }
}

/** How long a printer that keeps its side open after the job may hold the socket. */
const LINGER_MS = 2000

/**
 * Sends a job to a printer's raw port (9100): connect, write the data `copies` times, end.
 * Resolves with the bytes sent once they are flushed to the network; the whole exchange must
 * finish within `timeoutMs`, or the socket is dropped and the promise rejects.
 */
export function sendRawJob(address: string, data: Buffer, copies: number, timeoutMs: number): Promise<number> {
  const { host, port } = splitAddress(address)
  return new Promise((resolve, reject) => {
    let settled = false
    const socket = connect({ host, port })
    const timer = setTimeout(() => {
      fail(new PrinterUnreachableError('timeout', `no answer within ${Math.round(timeoutMs / 100) / 10} s`))
      socket.destroy()
    }, timeoutMs)
    function fail(error: PrinterUnreachableError) {
      if (settled) return
      settled = true
      clearTimeout(timer)
      reject(error)
    }
    socket.on('error', (error: NodeJS.ErrnoException) => {
      const reason = error.code === 'ECONNREFUSED' ? 'refused' : 'unreachable'
      fail(new PrinterUnreachableError(reason, error.code ?? error.message))
    })
    socket.on('connect', () => {
      for (let i = 0; i < copies; i++) socket.write(data)
      socket.end()
    })
    socket.on('finish', () => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      resolve(data.length * copies)
      // Printers usually close once they have the job; one that keeps the connection open is
      // let go after a moment. Anything it says back (status) is read and dropped, so closing
      // does not reset a connection with unread data.
      socket.resume()
      setTimeout(() => socket.destroy(), LINGER_MS).unref()
    })
  })
}
