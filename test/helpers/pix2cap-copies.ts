// Perturbed copies of the shared Pix2Cap sample, written to a temp dir: each test states the one change it makes.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PIX2CAP_SAMPLE_JSON } from './fixtures.js'

/** The sample as a mutable JSON value (parsed fresh each call). */
export interface SampleJson {
  info: unknown
  licenses: unknown[]
  images: Record<string, unknown>[]
  annotations: { image_id: unknown; file_name: unknown; segments_info: Record<string, unknown>[] }[]
  categories: Record<string, unknown>[]
}

/** A temp dir and a writer for perturbed copies; call `cleanup()` in afterAll. */
export async function sampleCopies(): Promise<{
  dir: string
  load(): Promise<SampleJson>
  write(name: string, value: unknown): Promise<string>
  writeText(name: string, text: string): Promise<string>
  cleanup(): Promise<void>
}> {
  const dir = await mkdtemp(join(tmpdir(), 'pixcap-pix2cap-'))
  return {
    dir,
    load: async () => JSON.parse(await readFile(PIX2CAP_SAMPLE_JSON, 'utf8')) as SampleJson,
    write: async (name, value) => {
      const file = join(dir, name)
      await writeFile(file, JSON.stringify(value))
      return file
    },
    writeText: async (name, text) => {
      const file = join(dir, name)
      await writeFile(file, text)
      return file
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  }
}
