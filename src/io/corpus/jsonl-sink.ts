// JSON Lines: one row per line, keys in declared column order, so the same rows always give the same bytes.
// Binary values (embedded image bytes) become base64 strings and int64 bigints become decimal numbers.
import type { FieldSpec } from '../../records/field-spec.js'
import { OutputFile, type WrittenFile } from './output-file.js'
import type { Row } from './arrow-batch.js'
import type { RowSink } from './row-sink.js'

function replacer(_key: string, value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64')
  if (typeof value === 'bigint') return Number(value)
  return value
}

function needsReplacer(fields: readonly FieldSpec[]): boolean {
  const walk = (type: FieldSpec['type']): boolean =>
    type.kind === 'image' || type.kind === 'int64' || (type.kind === 'list' && walk(type.item)) || (type.kind === 'struct' && type.fields.some((f) => walk(f.type)))
  return fields.some((f) => walk(f.type))
}

/** Writes rows to one `.jsonl` file, atomically. */
export class JsonlSink implements RowSink {
  private rows = 0
  private readonly names: string[]
  private readonly withReplacer: boolean

  private constructor(
    private readonly out: OutputFile,
    private readonly dest: string,
    fields: readonly FieldSpec[],
  ) {
    this.names = fields.map((f) => f.name)
    this.withReplacer = needsReplacer(fields)
  }

  static async open(dest: string, fields: readonly FieldSpec[]): Promise<JsonlSink> {
    return new JsonlSink(await OutputFile.open(dest), dest, fields)
  }

  async write(rows: readonly Row[]): Promise<void> {
    let text = ''
    for (const row of rows) {
      const ordered: Row = {}
      for (const name of this.names) ordered[name] = row[name] ?? null
      text += `${this.withReplacer ? JSON.stringify(ordered, replacer) : JSON.stringify(ordered)}\n`
    }
    await this.out.write(text)
    this.rows += rows.length
  }

  async close(): Promise<WrittenFile[]> {
    return [await this.out.commit(this.dest, this.rows)]
  }

  async abort(): Promise<void> {
    await this.out.abort()
  }
}
