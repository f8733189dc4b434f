import { readdir, readFile } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import type { Worker } from 'node:worker_threads'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { t, type FieldSpec } from '../../../src/records/field-spec.js'
import { toHfFeatures } from '../../../src/io/corpus/arrow-schema.js'
import { openCorpusSink } from '../../../src/io/corpus/corpus-sink.js'
import { sha256File } from '../../../src/util/sha256.js'
import { HAS_PYTHON } from '../../helpers/fixtures.js'
import { hfReadback, parquetFooter, readArrowStream, readParquetDuckdb, readParquetHyparquet } from '../../helpers/readback.js'
import { useTempDir } from '../../helpers/temp-dir.js'

// A GPT4RoI-like row declaration (reference/ecosystem.md §2 test schema) plus a nullable column and an int64 list.
const FIELDS: FieldSpec[] = [
  t.field('id', t.string()),
  t.field('image', t.string()),
  t.field('width', t.int32()),
  t.field('height', t.int32()),
  t.field('conversations', t.list(t.struct([t.field('from', t.string()), t.field('value', t.string())]))),
  t.field('boxes', t.list(t.list(t.float32()))),
  t.field('categories', t.list(t.string())),
  t.field('segment_ids', t.list(t.int64())),
  t.field('note', t.string(), true),
  t.field('is_thing', t.list(t.bool())),
]

function makeRows(n: number): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) => {
    const k = (i % 4) + 1
    return {
      id: `img${i}`,
      image: `train2017/${String(i).padStart(12, '0')}.jpg`,
      width: 640 - (i % 3),
      height: 480,
      conversations: Array.from({ length: k }, (_, j) => [
        { from: 'human', value: `What is in region${j + 1} <bbox>? ünïcødé ${i}` },
        { from: 'gpt', value: `a thing number ${i * 10 + j}` },
      ]).flat(),
      boxes: Array.from({ length: k }, (_, j) => [0.1 * j, 0.2, 0.3 + j / 7, 0.9]),
      categories: Array.from({ length: k }, (_, j) => (j % 2 ? 'person' : 'dog')),
      segment_ids: Array.from({ length: k }, (_, j) => i * 1000 + j),
      note: i % 5 === 0 ? null : `note ${i}`,
      is_thing: Array.from({ length: k }, (_, j) => j % 2 === 0),
    }
  })
}

/** The rows as any reader returns them: float32 rounding applied, int64 as numbers. */
function expected(rows: Record<string, unknown>[]): Record<string, unknown>[] {
  return rows.map((r) => ({ ...r, boxes: (r.boxes as number[][]).map((b) => b.map(Math.fround)) }))
}

const normalise = (rows: Record<string, unknown>[]) =>
  rows.map((r) => ({ ...r, segment_ids: (r.segment_ids as (number | bigint)[]).map(Number) }))

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = []
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) out.push(relative(dir, join(e.parentPath, e.name)))
  return out.sort()
}

let dir: string
useTempDir('pixcap-sink-', (d) => (dir = d), { each: true })

describe('openCorpusSink', () => {
  it('writes Parquet, Arrow and JSONL that independent readers read back as the same rows', async () => {
    const rows = makeRows(2500)
    const sink = await openCorpusSink({ outDir: dir, split: 'train', fields: FIELDS, formats: ['parquet', 'arrow', 'jsonl'] })
    await sink.write(rows.slice(0, 1234))
    await sink.write(rows.slice(1234))
    const files = await sink.close()
    expect(files.map((f) => f.file)).toEqual(['data/train-00000-of-00001.parquet', 'arrow/train-00000-of-00001.arrow', 'jsonl/train.jsonl'])
    expect(await listFiles(dir)).toEqual(['arrow/train-00000-of-00001.arrow', 'data/train-00000-of-00001.parquet', 'jsonl/train.jsonl'])
    for (const f of files) {
      expect(f.rows).toBe(2500)
      expect(f.sha256).toBe(await sha256File(join(dir, f.file)))
      expect(f.bytes).toBe((await readFile(join(dir, f.file))).length)
    }
    const want = expected(rows)

    const pq = join(dir, 'data/train-00000-of-00001.parquet')
    expect(normalise(await readParquetHyparquet(pq))).toEqual(want)
    const footer = await parquetFooter(pq)
    expect(JSON.parse(footer.kv.huggingface!)).toEqual({ info: { features: toHfFeatures(FIELDS) } })
    expect('ARROW:schema' in footer.kv).toBe(true)

    const duck = await readParquetDuckdb(pq)
    expect(duck.types).toEqual({
      id: 'VARCHAR',
      image: 'VARCHAR',
      width: 'INTEGER',
      height: 'INTEGER',
      conversations: 'STRUCT("from" VARCHAR, "value" VARCHAR)[]',
      boxes: 'FLOAT[][]',
      categories: 'VARCHAR[]',
      segment_ids: 'BIGINT[]',
      note: 'VARCHAR',
      is_thing: 'BOOLEAN[]',
    })
    // DuckDB's JSON rendering gives BIGINT as strings and FLOAT as the shortest float32 text.
    expect(
      duck.rows.map((r) => ({
        ...r,
        segment_ids: (r.segment_ids as string[]).map(Number),
        boxes: (r.boxes as number[][]).map((b) => b.map((x) => Math.fround(Number(x)))),
      })),
    ).toEqual(want)

    const arrow = await readArrowStream(join(dir, 'arrow/train-00000-of-00001.arrow'))
    expect(normalise(arrow.rows)).toEqual(want)
    expect(JSON.parse(arrow.metadata.get('huggingface')!)).toEqual({ info: { features: toHfFeatures(FIELDS) } })

    const jsonl = (await readFile(join(dir, 'jsonl/train.jsonl'), 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(jsonl).toEqual(rows)
  })

  it.skipIf(!HAS_PYTHON)('datasets reads Parquet (load_dataset) and Arrow (Dataset.from_file) with the declared features', async () => {
    const rows = makeRows(1500)
    const sink = await openCorpusSink({ outDir: dir, split: 'train', fields: FIELDS, formats: ['parquet', 'arrow'] })
    await sink.write(rows)
    await sink.close()
    const features = toHfFeatures(FIELDS)
    const pq = await hfReadback('parquet', [join(dir, 'data/train-00000-of-00001.parquet')])
    expect(pq.features).toEqual(features)
    expect(pq.rows).toEqual(expected(rows))
    expect(JSON.parse(pq.footer_kv.huggingface!)).toEqual({ info: { features } })
    const arrow = await hfReadback('arrow', [join(dir, 'arrow/train-00000-of-00001.arrow')])
    expect(arrow.features).toEqual(features)
    expect(arrow.rows).toEqual(expected(rows))
  })

  it('splits into shards named -of-N, each a valid file, rows in order', async () => {
    const rows = makeRows(4500)
    const sink = await openCorpusSink({ outDir: dir, split: 'validation', fields: FIELDS, formats: ['parquet', 'arrow'], limits: { maxRowsPerShard: 2000 } })
    await sink.write(rows)
    const files = await sink.close()
    expect(files.map((f) => [f.file, f.rows])).toEqual([
      ['data/validation-00000-of-00003.parquet', 2000],
      ['arrow/validation-00000-of-00003.arrow', 2000],
      ['data/validation-00001-of-00003.parquet', 2000],
      ['arrow/validation-00001-of-00003.arrow', 2000],
      ['data/validation-00002-of-00003.parquet', 500],
      ['arrow/validation-00002-of-00003.arrow', 500],
    ])
    const back: Record<string, unknown>[] = []
    for (const f of files.filter((x) => x.file.endsWith('.parquet'))) back.push(...(await readParquetHyparquet(join(dir, f.file))))
    expect(normalise(back)).toEqual(expected(rows))
    expect((await parquetFooter(join(dir, files[0]!.file))).rowGroups).toEqual([2000])
  })

  it('names files by the job index under --shard-index/--num-shards', async () => {
    const sink = await openCorpusSink({ outDir: dir, split: 'train', fields: FIELDS, formats: ['parquet', 'jsonl'], job: { index: 2, count: 5 } })
    await sink.write(makeRows(30))
    expect((await sink.close()).map((f) => f.file)).toEqual(['data/train-00002-of-00005.parquet', 'jsonl/train-00002-of-00005.jsonl'])
  })

  it('writes an empty split as files that carry the schema', async () => {
    const sink = await openCorpusSink({ outDir: dir, split: 'train', fields: FIELDS, formats: ['parquet', 'arrow', 'jsonl'] })
    const files = await sink.close()
    expect(files.map((f) => [f.file, f.rows])).toEqual([
      ['data/train-00000-of-00001.parquet', 0],
      ['arrow/train-00000-of-00001.arrow', 0],
      ['jsonl/train.jsonl', 0],
    ])
    expect(await readParquetHyparquet(join(dir, files[0]!.file))).toEqual([])
    const arrow = await readArrowStream(join(dir, files[1]!.file))
    expect(arrow.rows).toEqual([])
    expect(arrow.types[4]).toBe('conversations: List<Struct<{from:Utf8, value:Utf8}>>')
  })

  it('a bad row mid-write names its row and path and leaves no file behind, complete or not', async () => {
    const rows = makeRows(3000)
    ;(rows[2345]!.conversations as { value: unknown }[])[1]!.value = 42
    const sink = await openCorpusSink({ outDir: dir, split: 'train', fields: FIELDS, formats: ['parquet', 'arrow', 'jsonl'], limits: { maxRowsPerShard: 1000 } })
    await sink.write(rows.slice(0, 2000))
    await expect(sink.write(rows.slice(2000))).rejects.toThrow(`${join(dir, 'train rows')}: rows[2345].conversations[1].value: expected string, got number`)
    expect(await listFiles(dir)).toEqual([])
    await expect(sink.write(rows.slice(0, 1))).rejects.toThrow('already failed or was aborted')
  })

  it('abort() removes every temporary file', async () => {
    const sink = await openCorpusSink({ outDir: dir, split: 'train', fields: FIELDS, formats: ['parquet', 'arrow', 'jsonl'], limits: { maxRowsPerShard: 1000 } })
    await sink.write(makeRows(2500))
    expect((await listFiles(dir)).every((f) => f.endsWith('.incomplete'))).toBe(true)
    await sink.abort()
    expect(await listFiles(dir)).toEqual([])
  })

  it('encodes every Parquet shard of a sink in one worker, and ends it when the sink closes', async () => {
    const started: Worker[] = []
    const exited: Worker[] = []
    const onWorker = (w: Worker): void => {
      started.push(w)
      w.once('exit', () => exited.push(w))
    }
    process.on('worker', onWorker)
    try {
      const sink = await openCorpusSink({ outDir: dir, split: 'train', fields: FIELDS, formats: ['parquet', 'arrow'], limits: { maxRowsPerShard: 1000 } })
      await sink.write(makeRows(3500))
      const files = await sink.close()
      expect(files.filter((f) => f.file.endsWith('.parquet'))).toHaveLength(4)
      // One encoder worker on a multi-core machine (writers encode in-process on one core), whatever the shard count.
      expect(started).toHaveLength(availableParallelism() > 1 ? 1 : 0)
      await expect.poll(() => exited.length).toBe(started.length)
    } finally {
      process.off('worker', onWorker)
    }
  })

  it('is deterministic: the same rows give byte-identical files', async () => {
    const hashes: string[][] = []
    for (const sub of ['a', 'b']) {
      const sink = await openCorpusSink({ outDir: join(dir, sub), split: 'train', fields: FIELDS, formats: ['parquet', 'arrow', 'jsonl'], limits: { maxRowsPerShard: 1500 } })
      await sink.write(makeRows(3200))
      hashes.push((await sink.close()).map((f) => `${f.file} ${f.sha256}`))
    }
    expect(hashes[0]).toHaveLength(7)
    expect(hashes[1]).toEqual(hashes[0])
  })
})
