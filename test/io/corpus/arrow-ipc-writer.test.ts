import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { RecordBatchStreamWriter, tableFromIPC } from 'apache-arrow'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { t, type FieldSpec } from '../../../src/records/field-spec.js'
import { ArrowBatchBuilder } from '../../../src/io/corpus/arrow-batch.js'
import { ArrowStreamFileWriter } from '../../../src/io/corpus/arrow-ipc-writer.js'

const FIELDS: FieldSpec[] = [
  t.field('id', t.string()),
  t.field('boxes', t.list(t.list(t.float32()))),
  t.field('turns', t.list(t.struct([t.field('from', t.string()), t.field('value', t.string())]))),
  t.field('note', t.string(), true),
]
const row = (i: number) => ({
  id: `r${i} é`,
  boxes: Array.from({ length: i % 4 }, (_, k) => [k / 7, i / 3, 1, 0.5]),
  turns: [{ from: 'human', value: `q${i}` }],
  note: i % 2 ? null : `n${i}`,
})

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pixcap-arrow-writer-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('ArrowStreamFileWriter', () => {
  it.each([0, 1, 5])('writes the bytes one RecordBatchStreamWriter writes for the same %i batches', async (batches) => {
    const builder = new ArrowBatchBuilder(FIELDS)
    const list = Array.from({ length: batches }, (_, b) => builder.build(Array.from({ length: 3 + b }, (_, i) => row(b * 10 + i))))
    const file = join(dir, `out-${batches}.arrow`)
    const writer = await ArrowStreamFileWriter.open(file, builder.schema)
    for (const b of list) await writer.writeBatch(b)
    const finished = await writer.finish()
    await finished.commit(file)
    const reference = new RecordBatchStreamWriter()
    reference.reset(undefined, builder.schema)
    for (const b of list) reference.write(b)
    reference.finish()
    const expected = await reference.toUint8Array()
    const written = await readFile(file)
    expect(Buffer.compare(written, Buffer.from(expected))).toBe(0)
    expect(tableFromIPC(written).numRows).toBe(list.reduce((n, b) => n + b.numRows, 0))
    expect(finished.rows).toBe(list.reduce((n, b) => n + b.numRows, 0))
  })
})
