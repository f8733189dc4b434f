// One JSON array per split, for trainers that json.load a whole file: LLaVA's train.py LazySupervisedDataset
// (`json.load(open(data_path, "r"))`), Qwen-VL's finetune.py make_supervised_data_module, Osprey's loaders
// (osprey/datasets/osprey_724k.py `json.load(open(ann_file))`). Streamed row by row (`[`, rows joined by `,\n`, `]`),
// keys in declared column order, under a temporary name until close (STYLE.md §12).
import type { FieldSpec } from '../../records/field-spec.js'
import { OutputFile, type WrittenFile } from './output-file.js'
import type { Row } from './arrow-batch.js'
import type { RowSink } from './row-sink.js'

function replacer(_key: string, value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64')
  if (typeof value === 'bigint') return Number(value)
  return value
}

/** Writes rows as one `.json` array, atomically. */
export class JsonArraySink implements RowSink {
  private rows = 0
  private readonly names: string[]

  private constructor(
    private readonly out: OutputFile,
    private readonly dest: string,
    fields: readonly FieldSpec[],
  ) {
    this.names = fields.map((f) => f.name)
  }

  static async open(dest: string, fields: readonly FieldSpec[]): Promise<JsonArraySink> {
    const sink = new JsonArraySink(await OutputFile.open(dest), dest, fields)
    await sink.out.write('[')
    return sink
  }

  async write(rows: readonly Row[]): Promise<void> {
    let text = ''
    for (const row of rows) {
      const ordered: Row = {}
      for (const name of this.names) ordered[name] = row[name] ?? null
      text += `${this.rows === 0 && text === '' ? '\n' : ',\n'}${JSON.stringify(ordered, replacer)}`
    }
    if (text !== '') await this.out.write(text)
    this.rows += rows.length
  }

  async close(): Promise<WrittenFile[]> {
    await this.out.write(this.rows === 0 ? ']\n' : '\n]\n')
    return [await this.out.commit(this.dest, this.rows)]
  }

  async abort(): Promise<void> {
    await this.out.abort()
  }
}
