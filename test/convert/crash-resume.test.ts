// Crash-safe re-conversion (issue 17, finding 1), through the real CLI: `pixcap convert` is SIGKILLed at several
// moments (PIXCAP_FAILPOINT stops it at an exact point; src/util/failpoint.ts), also while it replaces an older
// corpus, and after each kill the folder must hold no partial file under a final name and no manifest unless the
// corpus is whole and consistent; `--resume` must then give files byte-identical to an uninterrupted run.
import { spawn, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { cp, readdir, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { makeSynthSet } from '../../bench/synth.js'
import { REPO_ROOT } from '../helpers/fixtures.js'
import { useTempDir } from '../helpers/temp-dir.js'

const BIN = join(REPO_ROOT, 'bin/pixcap.js')
// The children it kills run in their own process group (detached): only this file's SIGKILLs reach them, never a signal that
// another test file sends to its group while the suite runs in parallel.
const LOCK = '.pixcap-lock'

let dir: string
let input: string
/** sha256 of every file of the uninterrupted run (seed 0), and of the older corpus (seed 1), by relative path. */
let reference: Map<string, string>
let older: Map<string, string>
useTempDir('pixcap-crash-', (d) => (dir = d))

const convertArgs = (out: string, seed = 0) => ['convert', input, '--to', 'gpt4roi', '--out', out, '--format', 'parquet,arrow,jsonl', '--max-shard-rows', '1000', '--seed', String(seed)]

function pixcap(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 120_000 })
  return { code: r.status, out: r.stdout, err: r.stderr }
}

/** Runs pixcap until it reaches `failpoint`, then SIGKILLs it; resolves once the process is gone. */
function killAt(args: string[], failpoint: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, env: { ...process.env, PIXCAP_FAILPOINT: failpoint }, stdio: ['ignore', 'ignore', 'pipe'], detached: true })
    let err = ''
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`failpoint ${failpoint} not reached in 120 s: ${err}`))
    }, 120_000)
    child.stderr.on('data', (b: Buffer) => {
      err += b.toString()
      if (err.includes(`failpoint ${failpoint} reached`)) child.kill('SIGKILL')
    })
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      if (signal === 'SIGKILL') resolve()
      else reject(new Error(`pixcap exited (${code}) before failpoint ${failpoint}: ${err}`))
    })
  })
}

async function filesOf(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  for (const e of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (e.isDirectory()) continue
    const abs = join(e.parentPath, e.name)
    out.set(abs.slice(root.length + 1), createHash('sha256').update(await readFile(abs)).digest('hex'))
  }
  return out
}

/**
 * The crash invariants: every file under a final name is a whole file of one of the two corpora (byte-equal to it);
 * a manifest exists only if every file it lists is there with its sha256 and its counts hold.
 */
async function checkAfterKill(out: string): Promise<{ finals: string[]; manifest: boolean }> {
  const files = await filesOf(out)
  const finals = [...files.keys()].filter((f) => !f.endsWith('.incomplete') && f !== LOCK)
  for (const f of finals) {
    const sum = files.get(f)
    expect([reference.get(f), older.get(f)], `${f} is not a whole file of either corpus`).toContain(sum)
  }
  if (!files.has('manifest.json')) return { finals, manifest: false }
  const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8'))
  const listed = manifest.files.map((f: { file: string }) => f.file).sort()
  expect(finals.filter((f) => f !== 'manifest.json').sort()).toEqual(listed)
  for (const f of manifest.files) expect(files.get(f.file), f.file).toBe(f.sha256)
  const r = manifest.counts.regions
  expect(r.in).toBe(r.inSamples + r.rejected)
  return { finals, manifest: true }
}

async function expectIdenticalToReference(out: string): Promise<void> {
  const files = await filesOf(out)
  expect([...files.keys()].sort()).toEqual([...reference.keys()].sort())
  for (const [f, sum] of reference) expect(files.get(f), f).toBe(sum)
}

beforeAll(async () => {
  if (!existsSync(join(REPO_ROOT, 'dist/cli/main.js'))) spawnSync('npm', ['run', '-s', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' })
  // ~3,000 rows: three shards of 1,000 rows (one Arrow batch each) per format.
  input = (await makeSynthSet({ dir: join(dir, 'synth'), pngImages: 0, images: 3000, regions: 12000 })).jsonPath
  const ref = pixcap(convertArgs(join(dir, 'reference')))
  expect(ref.code, ref.err).toBe(0)
  reference = await filesOf(join(dir, 'reference'))
  expect([...reference.keys()].filter((f) => f.startsWith('data/'))).toHaveLength(3)
  const old = pixcap(convertArgs(join(dir, 'older'), 1))
  expect(old.code, old.err).toBe(0)
  older = await filesOf(join(dir, 'older'))
}, 180_000)

describe('SIGKILL during convert, then --resume', () => {
  it('after two finished shards: a plain rerun is refused, --resume keeps both shards and gives identical files', async () => {
    const out = join(dir, 'mid')
    await killAt(convertArgs(out), 'shard-finished:2')
    const after = await checkAfterKill(out)
    expect(after).toEqual({ finals: [], manifest: false })
    const lock = JSON.parse(await readFile(join(out, LOCK), 'utf8'))
    expect(lock.shards).toHaveLength(2)

    const plain = pixcap(convertArgs(out))
    expect(plain.code).not.toBe(0)
    expect(plain.err).toMatch(/died while writing this folder \(2 finished shards.*pass --resume to continue it.*or --overwrite/)
    const resumed = pixcap([...convertArgs(out), '--resume', '--json'])
    expect(resumed.code, resumed.err).toBe(0)
    expect(JSON.parse(resumed.out)).toMatchObject({ resumedShards: 2, deadWriter: { command: 'convert', pid: lock.pid } })
    await expectIdenticalToReference(out)
  }, 120_000)

  it('a damaged finished shard fails its checksum and is written again', async () => {
    const out = join(dir, 'damaged')
    await killAt(convertArgs(out), 'shard-finished:2')
    const lock = JSON.parse(await readFile(join(out, LOCK), 'utf8'))
    const second = join(out, lock.shards[1].files[0].tmp)
    const bytes = await readFile(second)
    bytes[100] = bytes[100]! ^ 0xff
    await rm(second)
    await import('node:fs/promises').then((fs) => fs.writeFile(second, bytes))
    const resumed = pixcap([...convertArgs(out), '--resume', '--json'])
    expect(resumed.code, resumed.err).toBe(0)
    expect(JSON.parse(resumed.out).resumedShards).toBe(1)
    await expectIdenticalToReference(out)
  }, 120_000)

  it.each([
    ['while renaming the finished files into place', 'committed:3'],
    ['after every data file, before the manifest', 'before-manifest'],
  ])('%s: final names hold only whole files, no manifest; --resume completes it', async (_what, point) => {
    const out = join(dir, point.replace(':', '-'))
    await killAt(convertArgs(out), point)
    const after = await checkAfterKill(out)
    expect(after.manifest).toBe(false)
    expect(after.finals.length).toBeGreaterThanOrEqual(3)
    const resumed = pixcap([...convertArgs(out), '--resume'])
    expect(resumed.code, resumed.err).toBe(0)
    await expectIdenticalToReference(out)
  }, 120_000)

  it('after the manifest, before the lock is gone: the corpus is whole; the stale lock does not block a rerun', async () => {
    const out = join(dir, 'manifest-written')
    await killAt(convertArgs(out), 'manifest-written')
    expect((await checkAfterKill(out)).manifest).toBe(true)
    const again = pixcap([...convertArgs(out), '--resume'])
    expect(again.code).not.toBe(0)
    expect(again.err).toMatch(/holds a complete corpus \(manifest\.json\) and no interrupted conversion; nothing to resume/)
    expect(existsSync(join(out, LOCK))).toBe(false)
    expect(await filesOf(out)).toEqual(reference)
  }, 120_000)
})

describe('SIGKILL while re-converting over an older corpus (--overwrite)', () => {
  it.each([
    ['before anything is removed', 'lock-taken', true],
    ['after the old manifest and one of its files are removed', 'overwrite-removed-one', false],
    ['with two new shards finished', 'shard-finished:2', false],
    ['while renaming the new files into place', 'committed:2', false],
  ])('%s: never a manifest beside a mix of two corpora; --resume gives the new corpus', async (_what, point, oldManifestKept) => {
    const out = join(dir, `over-${point.replace(':', '-')}`)
    await cp(join(dir, 'older'), out, { recursive: true })
    await killAt([...convertArgs(out), '--overwrite'], point)
    const after = await checkAfterKill(out)
    expect(after.manifest).toBe(oldManifestKept)
    if (after.manifest) expect(await readFile(join(out, 'manifest.json'), 'utf8')).toBe(await readFile(join(dir, 'older', 'manifest.json'), 'utf8'))
    const resumed = pixcap([...convertArgs(out), '--resume', '--overwrite'])
    expect(resumed.code, resumed.err).toBe(0)
    await expectIdenticalToReference(out)
  }, 120_000)
})

describe('SIGKILL at arbitrary moments (timers, not failpoints)', () => {
  it('at each of several delays: the invariants hold and --resume gives identical files', async () => {
    for (const ms of [150, 700, 1500, 2500]) {
      const out = join(dir, `timed-${ms}`)
      await cp(join(dir, 'older'), out, { recursive: true })
      const child = spawn(process.execPath, [BIN, ...convertArgs(out), '--overwrite'], { cwd: REPO_ROOT, stdio: 'ignore', detached: true })
      const exited = new Promise<void>((r) => child.on('exit', () => r()))
      await new Promise((r) => setTimeout(r, ms))
      child.kill('SIGKILL')
      await exited
      await checkAfterKill(out)
      const resumed = pixcap([...convertArgs(out), '--resume', '--overwrite'])
      expect(resumed.code, `after a kill at ${ms} ms: ${resumed.err}`).toBe(0)
      await expectIdenticalToReference(out)
    }
  }, 180_000)
})
