import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { t, type FieldSpec } from '../../../src/records/field-spec.js'
import { ArrowBatchBuilder } from '../../../src/io/corpus/arrow-batch.js'
import { ParquetFileWriter, type ParquetOptions } from '../../../src/io/corpus/parquet-writer.js'
import { batchStreamIpc } from '../../../src/io/corpus/batch-ipc.js'
import { PARQUET_COMPRESSION, wasmHeapBytes } from '../../../src/io/corpus/parquet-encoder.js'
import { parquetFooter, readParquetHyparquet } from '../../helpers/readback.js'
import { useTempDir } from '../../helpers/temp-dir.js'

const FIELDS: FieldSpec[] = [t.field('id', t.string()), t.field('text', t.string()), t.field('boxes', t.list(t.list(t.float32())))]
const builder = new ArrowBatchBuilder(FIELDS)
const rows = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => ({ id: `r${from + i}`, text: `row ${from + i} `.repeat(20 + ((from + i) % 13)), boxes: [[0.1, 0.2, 0.3, 0.4]] }))

const DEFAULTS: ParquetOptions = { maxRowGroupRows: 10_000, maxRowGroupBytes: 100 * 2 ** 20 }

async function writeFile(dest: string, batches: number, options: ParquetOptions = DEFAULTS, lastUse?: boolean) {
  const w = await ParquetFileWriter.open(dest, builder.schema, options)
  for (let b = 0; b < batches; b++) await w.writeBatch(builder.build(rows(b * 1000, 1000)), lastUse === undefined ? undefined : { lastUse })
  return (await w.finish()).commit(dest)
}

let dir: string
useTempDir('pixcap-pq-', (d) => (dir = d))

describe('ParquetFileWriter (parquet-wasm)', () => {
  it('caps row groups by bytes when fed 1k-row batches (reference/ecosystem.md §2)', async () => {
    const file = join(dir, 'capped.parquet')
    const written = await writeFile(file, 8, { maxRowGroupRows: 100_000, maxRowGroupBytes: 300_000 })
    expect(written.rows).toBe(8000)
    const { rowGroups, rowGroupBytes } = await parquetFooter(file)
    expect(rowGroups.length).toBeGreaterThan(1)
    expect(rowGroups.reduce((a, b) => a + b, 0)).toBe(8000)
    // parquet-rs closes a group once its uncompressed size reaches the cap, checked every write batch: at most a
    // little over the cap, never the whole 8,000 rows in one group.
    expect(rowGroupBytes.every((b) => b <= 300_000 * 1.1)).toBe(true)
    expect((await readParquetHyparquet(file)).map((r) => r.id)).toEqual(rows(0, 8000).map((r) => r.id))
  })

  it('compresses every column chunk with the chosen codec (SNAPPY, as pyarrow and datasets do by default)', async () => {
    const file = join(dir, 'codec.parquet')
    await writeFile(file, 3, { ...DEFAULTS, maxRowGroupRows: 1000 })
    const { codecs, rowGroups } = await parquetFooter(file)
    expect(rowGroups.length).toBe(3)
    expect(PARQUET_COMPRESSION).toBe('SNAPPY')
    expect(codecs).toEqual([PARQUET_COMPRESSION])
  })

  it('keeps wasm memory flat: a file 4x longer does not grow the wasm heap', async () => {
    // in this thread, where the heap can be read (the worker runs the same encoder)
    const local = { ...DEFAULTS, worker: false }
    await writeFile(join(dir, 'warm.parquet'), 10, local)
    const before = wasmHeapBytes()
    await writeFile(join(dir, 'long.parquet'), 40, local)
    expect(wasmHeapBytes()).toBe(before)
  })

  it('writes the same bytes in a worker thread as in this one (several row groups, and an empty file)', async () => {
    const small = { maxRowGroupRows: 2500, maxRowGroupBytes: 100 * 2 ** 20 }
    for (const batches of [7, 0]) {
      const inWorker = await writeFile(join(dir, `w${batches}.parquet`), batches, { ...small, worker: true })
      const here = await writeFile(join(dir, `l${batches}.parquet`), batches, { ...small, worker: false })
      expect(inWorker.rows).toBe(batches * 1000)
      expect(inWorker.sha256).toBe(here.sha256)
      expect(await readFile(join(dir, `w${batches}.parquet`))).toEqual(await readFile(join(dir, `l${batches}.parquet`)))
    }
    expect((await parquetFooter(join(dir, 'w7.parquet'))).rowGroups).toEqual([2500, 2500, 2000])
  })

  it('hands the IPC bytes of a batch to its worker only on their last use: the same bytes are written, and a shared encoding stays readable', async () => {
    const taken = await writeFile(join(dir, 'taken.parquet'), 3, { ...DEFAULTS, worker: true }, true)
    const copied = await writeFile(join(dir, 'copied.parquet'), 3, { ...DEFAULTS, worker: true }, false)
    expect(taken.sha256).toBe(copied.sha256)
    expect(taken.rows).toBe(3000)
    // Not the last use: the batch's shared encoding (which the .arrow writer reads after) must not be moved away.
    const w = await ParquetFileWriter.open(join(dir, 'shared.parquet'), builder.schema, { ...DEFAULTS, worker: true })
    const batch = builder.build(rows(0, 1000))
    const shared = batchStreamIpc(batch)
    const length = shared.byteLength
    await w.writeBatch(batch)
    expect(shared.byteLength).toBe(length) // a transferred buffer would read 0 here
    expect(batchStreamIpc(batch)).toBe(shared)
    await w.writeBatch(batch, { lastUse: true })
    expect(shared.byteLength).toBe(0) // moved to the worker, not copied
    expect((await w.finish()).rows).toBe(2000)
  })
})
