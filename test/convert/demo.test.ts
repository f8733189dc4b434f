import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { main } from '../../src/cli/main.js'
import { readManifest } from '../../src/io/corpus/manifest.js'
import { captureIo } from '../helpers/io.js'
import { readParquetHyparquet } from '../helpers/readback.js'
import { useTempDir } from '../helpers/temp-dir.js'

let dir: string
useTempDir('pixcap-demo-', (d) => (dir = d))

describe('pixcap demo', () => {
  it('converts the bundled sample to gpt4roi Parquet + Arrow + JSONL and prints a summary', async () => {
    const io = captureIo()
    expect(await main(['demo', '--out', join(dir, 'demo')], io)).toBe(0)
    const { manifest } = await readManifest(join(dir, 'demo'))
    const c = manifest.counts
    expect(c.images.in).toBe(12)
    expect(c.regions.in).toBe(73) // sample/README.md: 73 segments
    expect(c.regions.inSamples + c.regions.rejected).toBe(73)
    expect(manifest.files.map((f) => f.file)).toEqual([
      'data/train-00000-of-00001.parquet',
      'arrow/train-00000-of-00001.arrow',
      'jsonl/train.jsonl',
      'rejects.jsonl',
    ])
    expect((await readdir(join(dir, 'demo'))).sort()).toEqual(['arrow', 'data', 'jsonl', 'manifest.json', 'rejects.jsonl'])
    const rows = await readParquetHyparquet(join(dir, 'demo/data/train-00000-of-00001.parquet'))
    expect(rows).toHaveLength(c.samples)
    const out = io.out()
    expect(out).toContain(`images    12 in, ${c.images.kept} kept`)
    expect(out).toContain(`regions   73 in, ${c.regions.kept} kept, ${c.regions.inSamples} in samples, ${c.regions.rejected} rejected (`)
    expect(out).toMatch(/data\/train-00000-of-00001\.parquet +\d+ rows/)
  })

  it('--json prints the manifest', async () => {
    const io = captureIo()
    expect(await main(['demo', '--out', join(dir, 'demo-json'), '--json'], io)).toBe(0)
    const doc = JSON.parse(io.out()) as { ok: boolean; manifest: { format: { name: string }; counts: { regions: { in: number } } } }
    expect(doc.ok).toBe(true)
    expect(doc.manifest.format.name).toBe('gpt4roi')
    expect(doc.manifest.counts.regions.in).toBe(73)
  })
})
