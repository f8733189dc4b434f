// The first hour of a new user (issue 10), through the real CLI: `node bin/pixcap.js` as a child process, one test per
// finding. Each of these failed on the code before the fix (a hang, a silent U+FFFD, an `unknown` split, ...).
import { spawnSync } from 'node:child_process'
import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { BUNDLED_SAMPLE_DIR, REPO_ROOT } from '../helpers/fixtures.js'
import { SYSTEM_PYTHON, bridge } from '../helpers/bridges.js'
import { fixtureRecipe } from '../helpers/recipes.js'
import { useTempDir } from '../helpers/temp-dir.js'

const BIN = join(REPO_ROOT, 'bin/pixcap.js')
/** An error must end the process within seconds; the Parquet worker used to keep it alive forever. */
const EXIT_WITHIN_MS = 15_000

function pixcap(args: string[], o: { cwd?: string; env?: Record<string, string> } = {}) {
  const started = Date.now()
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: o.cwd ?? REPO_ROOT, env: { ...process.env, ...o.env }, encoding: 'utf8', timeout: EXIT_WITHIN_MS })
  return { code: r.status, signal: r.signal, out: r.stdout, err: r.stderr, ms: Date.now() - started }
}

let dir: string
useTempDir('pixcap-first-hour-', (d) => (dir = d))

beforeAll(() => {
  if (!existsSync(join(REPO_ROOT, 'dist/cli/main.js'))) spawnSync('npm', ['run', '-s', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' })
})

/** A tiny Pix2Cap-COCO file: image 1 with two regions, image 2 with one; `edit` changes it before writing. */
function tiny(edit: (d: TinyDoc) => void = () => {}): TinyDoc {
  const seg = (id: number, description: string, bbox = [0, 0, 4, 4]) => ({ id, category_id: 1, iscrowd: 0, area: 16, bbox, description })
  const d: TinyDoc = {
    images: [{ id: 1, file_name: 'a.jpg', width: 10, height: 10 }, { id: 2, file_name: 'b.jpg', width: 10, height: 10 }],
    annotations: [
      { image_id: 1, file_name: 'a.png', segments_info: [seg(1, 'a red cup on the wooden table'), seg(2, 'a blue plate beside the cup')] },
      { image_id: 2, file_name: 'b.png', segments_info: [seg(1, 'a small dog lying on a rug')] },
    ],
    categories: [{ id: 1, name: 'cup', isthing: 1 }],
  }
  edit(d)
  return d
}
interface TinyDoc {
  images: { id: number; file_name: string; width: number; height: number }[]
  annotations: { image_id: number; file_name: string; segments_info: { id: number; category_id: number; iscrowd: number; area: number; bbox: number[]; description: string }[] }[]
  categories: { id: number; name: string; isthing: number }[]
}
async function write(name: string, content: string | Buffer): Promise<string> {
  const file = join(dir, name)
  await writeFile(file, content)
  return file
}

describe('1. every process ends when its error ends (default Parquet output)', () => {
  const cases: [string, () => Promise<string>, string][] = [
    ['a truncated JSON', () => write('trunc_train.json', JSON.stringify(tiny()).slice(0, 120)), 'the file is truncated'],
    ['an empty file', () => write('empty_train.json', ''), 'the file is empty'],
    ['a directory', async () => dir, 'is a directory, expected the annotations file'],
    ['a file with invalid UTF-8', () => write('latin1_train.json', Buffer.from(JSON.stringify(tiny()).replace('wooden', 'caf\u00e9'), 'latin1')), 'invalid UTF-8 at byte'],
  ]
  it.each(cases)('%s: exit 1 within seconds with the message', async (_name, make, message) => {
    const input = await make()
    const r = pixcap(['convert', input, '--to', 'gpt4roi', '--out', join(dir, `out-${_name.replace(/\W/g, '')}`)])
    expect(r.signal).toBeNull() // not killed by the timeout
    expect(r.code).toBe(1)
    expect(r.err).toContain(message)
    expect(r.err).toContain(input)
  })
})

describe('2. the closing line counts a file that fails to load', () => {
  it('test-summary reports failed files as failures and exits non-zero', async () => {
    const json = await write('vitest.json', JSON.stringify({ numPassedTests: 10, numFailedTests: 0, numPendingTests: 2, numTodoTests: 0, numFailedTestSuites: 1, testResults: [{ name: 'test/geometry/coco-rle.test.ts', status: 'failed', message: 'ENOENT: ../shared/fixtures', assertionResults: [] }] }))
    const r = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts/test-summary.mjs'), json, join(dir, 'none.xml')], { encoding: 'utf8' })
    expect(r.stdout.trim().split('\n').at(-1)).toBe('tests: 10 passed, 1 failed, 2 skipped (1 file failed to load: test/geometry/coco-rle.test.ts)')
    expect(r.status).toBe(1)
  })
})

describe.skipIf(!SYSTEM_PYTHON)('3. doctor says what to run when the backend cannot run', () => {
  it('exits 1 without torch and names npm run setup', () => {
    const r = pixcap(['doctor', '--python', SYSTEM_PYTHON ?? 'python3', '--bridge-script', bridge('env_no_torch')])
    expect(r.code).toBe(1)
    expect(r.out).toContain('torch:        not installed')
    expect(r.out).toContain('fix: run `npm run setup`')
    const j = pixcap(['doctor', '--python', SYSTEM_PYTHON ?? 'python3', '--bridge-script', bridge('env_no_torch'), '--json'])
    expect(j.code).toBe(1)
    expect(JSON.parse(j.out)).toMatchObject({ ok: false, torch: null, fix: expect.stringContaining('npm run setup') })
    const ok = pixcap(['doctor', '--python', SYSTEM_PYTHON ?? 'python3', '--bridge-script', bridge('env_report')])
    expect(ok.code).toBe(0)
  })

  it('a run whose trainer has no torch says to run npm run setup', async () => {
    const { file, runsDir } = await fixtureRecipe('no_torch')
    const r = pixcap(['run', file, '--runs-dir', runsDir], { env: { PIXCAP_PYTHON: SYSTEM_PYTHON ?? 'python3' } })
    expect(r.code).toBe(1)
    expect(r.err).toContain("pixcap run: the trainer's Python has no torch; run `npm run setup`")
  })
})

describe('4. nothing is damaged or dropped in silence', () => {
  it('invalid UTF-8 is an error in validate too, naming the byte offset', async () => {
    const text = JSON.stringify(tiny())
    const at = Buffer.byteLength(text.slice(0, text.indexOf('wooden')))
    const file = await write('bytes_val.json', Buffer.from(text.replace('wooden', '\u00e9ooden'), 'latin1'))
    const r = pixcap(['validate', file, '--panoptic-dir', dir])
    expect(r.code).toBe(1)
    expect(r.out + r.err).toContain(`annotations[0]: invalid UTF-8 at byte ${at} (bytes e9 6f 6f 64)`)
  })

  it('duplicate image ids stop convert with the list; --reject-invalid counts them and says so', async () => {
    const file = await write('dup_train.json', JSON.stringify(tiny((d) => (d.images[1]!.id = 1))))
    const r = pixcap(['convert', file, '--to', 'gpt4roi', '--out', join(dir, 'dup')])
    expect(r.code).toBe(1)
    expect(r.err).toContain('2 errors in the input; nothing was written')
    expect(r.err).toContain('images[1].id: image id 1 already used by images[0]')
    expect(existsSync(join(dir, 'dup/manifest.json'))).toBe(false)
    const ok = pixcap(['convert', file, '--to', 'gpt4roi', '--out', join(dir, 'dup'), '--reject-invalid'])
    expect(ok.code).toBe(0)
    expect(ok.out).toContain('regions   3 in, 2 kept, 2 in samples, 1 rejected (no_image 1)')
    expect(ok.out).toContain('reader: 2 input errors turned into rejects (--reject-invalid)')
  })

  it('--panoptic-dir checks the masks without --verify-masks: a missing PNG is seen', async () => {
    const panoptic = join(dir, 'panoptic')
    await mkdir(panoptic)
    const pngs = (await readdir(join(BUNDLED_SAMPLE_DIR, 'panoptic'))).sort()
    for (const f of pngs.slice(1)) await copyFile(join(BUNDLED_SAMPLE_DIR, 'panoptic', f), join(panoptic, f))
    const args = ['convert', join(BUNDLED_SAMPLE_DIR, 'pix2cap_sample_train.json'), '--to', 'gpt4roi', '--panoptic-dir', panoptic, '--json']
    const checked = JSON.parse(pixcap([...args, '--out', join(dir, 'masks')]).out)
    expect(checked.manifest.options.verifyMasks).toBe(true)
    expect(checked.manifest.counts.rejectedByReason.missing_in_png).toBeGreaterThan(0)
    const unchecked = JSON.parse(pixcap([...args, '--out', join(dir, 'nomasks'), '--no-verify-masks']).out)
    expect(unchecked.manifest.counts.rejectedByReason.missing_in_png).toBeUndefined()
  })
})

describe('5. a folder holding a corpus is refused unless --overwrite', () => {
  it('refuses, then --overwrite removes exactly the listed files', async () => {
    const file = await write('pix_train.json', JSON.stringify(tiny()))
    const out = join(dir, 'corpus')
    expect(pixcap(['convert', file, '--to', 'gpt4roi', '--out', out, '--format', 'arrow,jsonl']).code).toBe(0)
    await writeFile(join(out, 'NOTES.md'), 'mine')
    const again = pixcap(['convert', file, '--to', 'gpt4roi', '--out', out, '--json'])
    expect(again.code).toBe(1)
    expect(JSON.parse(again.out)).toMatchObject({ ok: false, error: { code: 'io', detail: expect.stringContaining('already holds a corpus') } })
    const over = pixcap(['convert', file, '--to', 'gpt4roi', '--out', out, '--overwrite'])
    expect(over.code).toBe(0)
    expect(over.out).toContain('replaced the previous corpus: 3 files its manifest listed, and the manifest')
    expect(existsSync(join(out, 'arrow/train-00000-of-00001.arrow'))).toBe(false)
    expect(existsSync(join(out, 'jsonl/train.jsonl'))).toBe(false)
    expect(existsSync(join(out, 'data/train-00000-of-00001.parquet'))).toBe(true)
    expect(await readFile(join(out, 'NOTES.md'), 'utf8')).toBe('mine')
  })
})

describe('6. the split name', () => {
  it('is train for a file with no split in its name, and the choice is printed', async () => {
    const file = await write('my_regions.json', JSON.stringify(tiny()))
    const r = pixcap(['convert', file, '--to', 'gpt4roi', '--out', join(dir, 'split')])
    expect(r.code).toBe(0)
    expect(r.out).toContain('(split train (default; --split names another)')
    expect(existsSync(join(dir, 'split/data/train-00000-of-00001.parquet'))).toBe(true)
    const named = pixcap(['convert', file, '--to', 'gpt4roi', '--out', join(dir, 'split2'), '--split', 'val', '--json'])
    expect(JSON.parse(named.out)).toMatchObject({ split: 'val', splitSource: 'option' })
  })
})

describe('7. help, --version, --json, runs logs, bad boxes', () => {
  it('group help lists the group; --help describes every flag with its default', () => {
    for (const [group, sub] of [['eval', 'eval captions'], ['runs', 'runs logs'], ['vipbench', 'vipbench grade'], ['templates', 'templates check']] as const) {
      const r = pixcap([group, '--help'])
      expect(r.code, group).toBe(0)
      expect(r.out).toContain(`Usage: pixcap ${group} <command>`)
      expect(r.out).toContain(sub)
    }
    expect(pixcap(['runs']).out).toContain('runs list')
    const help = pixcap(['help', 'convert'])
    expect(help.code).toBe(0)
    expect(help.out).toMatch(/^ {2}--format LIST +comma-separated: parquet, arrow, jsonl, json \(one JSON array\) \(default: the format's own \(parquet; json for llava, qwen-vl, osprey, vip-llava\)\)$/m)
    expect(help.out).toMatch(/^ {2}--overwrite +replace a corpus/m)
    expect(pixcap(['--version']).out).toMatch(/^\d+\.\d+\.\d+\n$/)
    expect(JSON.parse(pixcap(['version', '--json']).out)).toMatchObject({ ok: true, version: expect.stringMatching(/^\d+\.\d+\.\d+$/) })
    const usage = pixcap(['convert', '--json'])
    expect(usage.code).toBe(2)
    expect(JSON.parse(usage.out)).toMatchObject({ ok: false, error: { code: 'usage' } })
  })

  it('one box outside the image is a reject, not the end of the conversion', async () => {
    const file = await write('box_train.json', JSON.stringify(tiny((d) => (d.annotations[0]!.segments_info[1]!.bbox = [8, 8, 20, 20]))))
    const r = pixcap(['convert', file, '--to', 'gpt4roi', '--out', join(dir, 'box')])
    expect(r.code).toBe(0)
    expect(r.out).toContain('1 rejected (box_outside_image 1)')
    expect(await readFile(join(dir, 'box/rejects.jsonl'), 'utf8')).toContain('bbox [8,8,20,20] ends at x=28 > image width 10')
  })

  it.skipIf(!SYSTEM_PYTHON)('runs logs shows what the trainer printed; --raw the protocol; --json an object', async () => {
    const { file, runsDir } = await fixtureRecipe('metrics', { config: { steps: 2 } })
    const run = pixcap(['run', file, '--runs-dir', runsDir, '--json'], { env: { PIXCAP_PYTHON: SYSTEM_PYTHON ?? 'python3' } })
    expect(run.code, run.err).toBe(0)
    const id = (await readdir(runsDir))[0]!
    const logs = pixcap(['runs', 'logs', id, '--runs-dir', runsDir])
    expect(logs.code).toBe(0)
    expect(logs.out).toContain('step 2: loss = 1')
    expect(logs.out).not.toContain('"type"')
    expect(pixcap(['runs', 'logs', id, '--runs-dir', runsDir, '--raw']).out).toContain('"type": "metric"')
    expect(JSON.parse(pixcap(['runs', 'logs', id, '--runs-dir', runsDir, '--json']).out)).toMatchObject({ ok: true, id, stream: 'stdout', text: expect.stringContaining('done: finished') })
  })
})

describe('8. captions a person would flag', () => {
  it('stats and validate warn; convert drops over-long captions and, on request, set-of-mark leftovers', async () => {
    const file = await write('caps_train.json', JSON.stringify(tiny((d) => {
      d.annotations[0]!.segments_info[0]!.description = 'ok'
      d.annotations[0]!.segments_info[1]!.description = 'the plate next to object 12'
      d.annotations[1]!.segments_info[0]!.description = 'a dog '.repeat(1000)
    })))
    const stats = pixcap(['stats', file])
    expect(stats.out).toMatch(/^caption warnings +short 1, mark_leftover 1, too_long 1 /m)
    const v = pixcap(['validate', file, '--panoptic-dir', dir])
    expect(v.out).toContain('warning [caption_mark_leftover]')
    expect(v.out).toContain('annotations[0].segments_info[1].description: image 1, segment 2: caption names a set-of-mark label "object 12"')
    const c = pixcap(['convert', file, '--to', 'gpt4roi', '--out', join(dir, 'caps'), '--drop-mark-leftovers'])
    expect(c.code).toBe(0)
    expect(c.out).toContain('3 rejected (long_caption 1, mark_leftover 1, short_caption 1)')
  })
})
