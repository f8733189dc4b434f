import { readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readManifest, writeManifest, type Manifest } from '../../../src/io/corpus/manifest.js'
import { useTempDir } from '../../helpers/temp-dir.js'

const HASH = 'a'.repeat(64)

function manifest(regions: Manifest['counts']['regions'], rejectedByReason: Manifest['counts']['rejectedByReason']): Manifest {
  return {
    manifestVersion: 1,
    pixcap: { version: '0.1.0' },
    command: 'convert',
    format: { name: 'gpt4roi', kind: 'rows', options: {} },
    split: 'val',
    seed: 0,
    inputs: [{ role: 'annotations', path: 'a.json', bytes: 10, sha256: HASH }],
    templates: { file: 't.json', sha256: HASH },
    filterPolicy: {},
    options: {},
    shard: null,
    counts: { images: { in: 2, kept: 2, dropped: 0 }, regions, rejectedByReason, samples: 4 },
    files: [{ file: 'data/val-00000-of-00001.parquet', kind: 'parquet', rows: 4, bytes: 100, sha256: HASH }],
  }
}

let dir: string
useTempDir('pixcap-manifest-', (d) => (dir = d), { each: true })

describe('writeManifest', () => {
  it('writes a manifest that reads back equal', async () => {
    const m = manifest({ in: 50, kept: 45, inSamples: 44, rejected: 6 }, { crowd: 3, empty_caption: 2, small_box_224: 1 })
    await writeManifest(dir, m)
    expect((await readManifest(dir)).manifest).toEqual(m)
  })

  it('refuses to write when regions in != regions in samples + rejected, and leaves no file', async () => {
    const m = manifest({ in: 50, kept: 45, inSamples: 44, rejected: 5 }, { crowd: 5 })
    await expect(writeManifest(dir, m)).rejects.toThrow(
      `${join(dir, 'manifest.json')}: counts.regions: regions in (50) != regions in samples (44) + regions rejected (5); refusing to write a manifest for a corpus that lost or double-counted 1 regions`,
    )
    expect(await readdir(dir)).toEqual([])
  })

  it('refuses rejects by reason that do not add up', async () => {
    await expect(writeManifest(dir, manifest({ in: 50, kept: 45, inSamples: 45, rejected: 5 }, { crowd: 4 }))).rejects.toThrow(
      'counts.rejectedByReason: rejects by reason sum to 4, but 5 regions were rejected',
    )
  })
})

describe('readManifest', () => {
  it('says the conversion may be unfinished when there is no manifest', async () => {
    await expect(readManifest(dir)).rejects.toThrow('was the conversion finished? (the manifest is written last)')
  })
  it('names the path of a schema problem', async () => {
    await writeFile(join(dir, 'manifest.json'), JSON.stringify({ ...manifest({ in: 0, kept: 0, inSamples: 0, rejected: 0 }, {}), seed: 'x' }))
    await expect(readManifest(dir)).rejects.toThrow(`${join(dir, 'manifest.json')}: seed: `)
  })
})
