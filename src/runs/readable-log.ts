// `pixcap runs logs` shows what the trainer printed, not the bridge protocol: a run's stdout.log holds one JSON event
// per line (ARCHITECTURE.md "Bridge protocol"); each becomes the line a person would have seen. `--raw` skips this.
import { parseBridgeLine, type BridgeEvent } from '../bridge/protocol.js'

/** The human line for one bridge event (null: nothing worth a line, e.g. a heartbeat). */
function renderBridgeEvent(e: BridgeEvent): string | null {
  switch (e.type) {
    case 'hello':
      return `bridge ${e.bridge}, python ${e.python}${typeof e.torch === 'string' ? `, torch ${e.torch}` : ''}`
    case 'progress':
      return `step ${e.step}${e.total !== undefined ? `/${e.total}` : ''}`
    case 'metric':
      return `step ${e.step}: ${e.name} = ${e.value}`
    case 'artifact':
      return `artifact ${e.kind ?? ''} ${e.path}`.replace('  ', ' ')
    case 'log':
      return e.level === 'info' ? e.message : `${e.level}: ${e.message}`
    case 'heartbeat':
      return null
    case 'done':
      return `done: ${e.status}`
    case 'error':
      return `error: ${e.message}${typeof e.traceback === 'string' && e.traceback ? `\n${e.traceback.trimEnd()}` : ''}`
  }
}

/** One stdout.log line as text: a protocol event rendered, anything else as it is. */
function readableLogLine(line: string): string | null {
  if (!line.startsWith('{')) return line
  try {
    return renderBridgeEvent(parseBridgeLine(line, 0))
  } catch {
    return line
  }
}

/** Turns chunks of a stdout.log into readable text, line by line (a line split across chunks is joined first). */
export async function* readableLog(chunks: AsyncIterable<string>): AsyncGenerator<string> {
  let rest = ''
  for await (const chunk of chunks) {
    const lines = (rest + chunk).split('\n')
    rest = lines.pop() ?? ''
    const out = lines.map(readableLogLine).filter((l): l is string => l !== null)
    if (out.length > 0) yield `${out.join('\n')}\n`
  }
  if (rest !== '') {
    const last = readableLogLine(rest)
    if (last !== null) yield `${last}\n`
  }
}
