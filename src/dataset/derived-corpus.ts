// Writes a corpus derived from other corpora (split, mix, dedup, contamination --write-filtered): the same row
// format and columns as its source, the same output kinds, rejects.jsonl with every row or region it removed, and
// manifest.json last (ARCHITECTURE.md "A corpus on disk"). The region invariant is the manifest's own:
// regions in = regions in samples + regions rejected, where "in" counts each region as many times as the derived
// corpus drew it (mix up-sampling draws some twice). Rejects of region-less rows (llava) are written too, so no
// removal is silent, but only region rejects count in `regions.rejected`.
import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import { pixcapVersion } from '../util/pixcap-version.js'
import { openCorpusSink } from '../io/corpus/corpus-sink.js'
import { writeManifest, type Manifest, type ManifestFile, type ManifestInput } from '../io/corpus/manifest.js'
import { prepareOutDir } from '../io/corpus/prepare-out-dir.js'
import type { PlainRow } from '../io/corpus/read-corpus-rows.js'
import { openRejectsWriter } from '../io/corpus/rejects-writer.js'
import type { RowSink } from '../io/corpus/row-sink.js'
import type { RejectReason, RejectRecord } from '../records/reject.js'
import { sha256File } from '../util/sha256.js'
import { rowImageKey, rowRegions, type CorpusSource } from './corpus-source.js'

/** What to write. */
export interface DerivedCorpusOptions {
  outDir: string
  overwrite?: boolean
  /** The corpus whose format, columns, templates and filter policy the result keeps. */
  template: CorpusSource
  command: string
  seed: number
  inputs: ManifestInput[]
  options: Record<string, unknown>
  /** Split names in the order their files should be listed. */
  splits: readonly string[]
  /** Images and regions that entered (regions counted once per draw). */
  imagesIn: number
  regionsIn: number
}

/** A derived corpus being written. */
export interface DerivedCorpusWriter {
  write(split: string, row: PlainRow): Promise<void>
  reject(reject: RejectRecord): Promise<void>
  /** Closes every file and writes the manifest; returns it. */
  finish(): Promise<{ manifestPath: string; manifest: Manifest }>
  abort(): Promise<void>
}

/** Rows are buffered per split and handed to the sink in batches of this many. */
const WRITE_BATCH = 512

/** The manifest input that records a source corpus by its manifest's sha256. */
export async function corpusInput(c: CorpusSource, role: string, given: string): Promise<ManifestInput> {
  return { role, path: given, bytes: (await stat(c.manifestFile)).size, sha256: c.manifestSha256 }
}

/** Opens a derived corpus in `outDir` (refusing a folder that holds a corpus unless `overwrite`). */
export async function openDerivedCorpus(o: DerivedCorpusOptions): Promise<DerivedCorpusWriter> {
  await prepareOutDir(o.outDir, { overwrite: o.overwrite === true })
  const sinks = new Map<string, { sink: RowSink; pending: PlainRow[] }>()
  const rejects = await openRejectsWriter(join(o.outDir, 'rejects.jsonl'))
  const byReason: Partial<Record<RejectReason, number>> = {}
  const keptImages = new Set<string>()
  let regionRejects = 0
  let regionsInSamples = 0
  let samples = 0
  const outputs = o.template.outputs.length > 0 ? o.template.outputs : (['parquet'] as const)

  const sinkFor = async (split: string) => {
    let s = sinks.get(split)
    if (!s) {
      if (!o.splits.includes(split)) throw new RangeError(`internal: split "${split}" was not declared`)
      s = { sink: await openCorpusSink({ outDir: o.outDir, split, fields: o.template.fields, formats: [...outputs], embedImages: o.template.manifest.options.embedImages === true }), pending: [] }
      sinks.set(split, s)
    }
    return s
  }
  const abort = async (): Promise<void> => {
    for (const s of sinks.values()) await s.sink.abort()
    await rejects.abort()
  }
  return {
    async write(split, row) {
      const s = await sinkFor(split)
      s.pending.push(row)
      samples++
      regionsInSamples += rowRegions(row).length
      keptImages.add(rowImageKey(row, samples))
      if (s.pending.length >= WRITE_BATCH) {
        const batch = s.pending
        s.pending = []
        await s.sink.write(batch)
      }
    },
    async reject(r) {
      await rejects.write(r)
      if (r.regionId !== undefined) {
        regionRejects++
        byReason[r.reason] = (byReason[r.reason] ?? 0) + 1
      }
    },
    async finish() {
      try {
        const files: ManifestFile[] = []
        for (const split of o.splits) {
          const s = await sinkFor(split)
          if (s.pending.length > 0) await s.sink.write(s.pending)
          s.pending = []
          for (const f of await s.sink.close()) files.push({ ...f, kind: f.file.split('.').pop()! })
        }
        await rejects.close()
        files.push({ file: 'rejects.jsonl', kind: 'rejects', rows: rejects.counts.total, bytes: (await stat(rejects.path)).size, sha256: await sha256File(rejects.path) })
        const t = o.template.manifest
        const manifest: Manifest = {
          manifestVersion: 1,
          pixcap: { version: await pixcapVersion() },
          command: o.command,
          format: t.format,
          split: o.splits.join(','),
          seed: o.seed,
          inputs: o.inputs,
          templates: t.templates,
          filterPolicy: t.filterPolicy,
          options: { ...o.options, embedImages: t.options.embedImages === true, formats: [...outputs] },
          shard: null,
          counts: {
            images: { in: o.imagesIn, kept: keptImages.size, dropped: Math.max(0, o.imagesIn - keptImages.size) },
            regions: { in: o.regionsIn, kept: regionsInSamples, inSamples: regionsInSamples, rejected: regionRejects },
            rejectedByReason: byReason,
            samples,
          },
          files,
        }
        const manifestPath = await writeManifest(o.outDir, manifest)
        return { manifestPath, manifest }
      } catch (err) {
        await abort().catch(() => {})
        throw err
      }
    },
    abort,
  }
}
