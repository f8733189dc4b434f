// Every bad input of test/bad-inputs/cases.ts through the real CLI (`node bin/pixcap.js` as a child process): the exit
// code and message it documents, and the invariants: a process that ends on its own within seconds; on an error,
// nothing written or removed (files that were there are byte-equal, no manifest, no temporary file, no lock of ours);
// on success, regions in = regions in samples + rejected = the regions the input holds, rejects.jsonl has one line per
// rejected region, and no temporary file is left. docs/bad-inputs.md must be the table rendered from the same list.
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { REPO_ROOT } from '../helpers/fixtures.js'
import { BAD_INPUT_CASES } from './cases.js'
import { renderBadInputsTable } from '../../scripts/bad-inputs-table.js'

const BIN = join(REPO_ROOT, 'bin/pixcap.js')
const roots: string[] = []

beforeAll(() => {
  if (!existsSync(join(REPO_ROOT, 'dist/cli/main.js'))) spawnSync('npm', ['run', '-s', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' })
})
afterAll(async () => {
  for (const r of roots) await rm(r, { recursive: true, force: true })
})

async function snapshot(root: string | undefined): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  if (root === undefined || !existsSync(root)) return out
  let entries
  try {
    entries = await readdir(root, { recursive: true, withFileTypes: true })
  } catch {
    return out // a file, not a folder
  }
  for (const e of entries) {
    if (!e.isFile()) continue
    const abs = join(e.parentPath, e.name)
    out.set(abs.slice(root.length + 1), createHash('sha256').update(await readFile(abs)).digest('hex'))
  }
  return out
}

describe('bad inputs: documented outcome, message and invariants', () => {
  it('there are at least 40 cases, with unique ids', () => {
    expect(BAD_INPUT_CASES.length).toBeGreaterThanOrEqual(40)
    expect(new Set(BAD_INPUT_CASES.map((c) => c.id)).size).toBe(BAD_INPUT_CASES.length)
  })

  it('docs/bad-inputs.md holds the table rendered from the cases', async () => {
    const doc = await readFile(join(REPO_ROOT, 'docs/bad-inputs.md'), 'utf8')
    expect(doc).toContain(renderBadInputsTable(BAD_INPUT_CASES))
  })

  it.each(BAD_INPUT_CASES.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    const dir = await mkdtemp(join(tmpdir(), `pixcap-bad-${c.id}-`))
    roots.push(dir)
    const p = await c.make(dir)
    const before = await snapshot(p.out)
    const started = Date.now()
    const r = spawnSync(process.execPath, [BIN, ...p.args], { cwd: dir, encoding: 'utf8', timeout: 60_000 })
    expect(r.signal, `did not exit by itself: ${r.stderr}`).toBeNull()
    expect(Date.now() - started).toBeLessThan(60_000)
    expect(r.status, r.stderr).toBe(c.outcome.exit)
    if (c.outcome.message) expect(`${r.stderr}${r.stdout}`).toMatch(c.outcome.message)
    const after = await snapshot(p.out)
    const temporary = [...after.keys()].filter((f) => f.endsWith('.incomplete'))
    if (c.outcome.exit !== 0) {
      // Nothing written, nothing removed: the folder is exactly as it was.
      expect(after).toEqual(before)
      return
    }
    expect(temporary).toEqual([])
    expect(after.has('.pixcap-lock')).toBe(false)
    if (p.out !== undefined && p.regions !== undefined) {
      const manifest = JSON.parse(await readFile(join(p.out, 'manifest.json'), 'utf8'))
      const regions = manifest.counts.regions
      expect(regions.in).toBe(p.regions)
      expect(regions.in).toBe(regions.inSamples + regions.rejected)
      const rejects = (await readFile(join(p.out, 'rejects.jsonl'), 'utf8')).split('\n').filter(Boolean)
      expect(rejects).toHaveLength(regions.rejected)
      for (const f of manifest.files) expect(after.get(f.file), f.file).toBe(f.sha256)
    }
  }, 90_000)
})
