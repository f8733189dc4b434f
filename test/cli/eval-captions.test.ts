import { mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { main } from '../../src/cli/main.js'
import { REPO_ROOT } from '../helpers/fixtures.js'
import { captureIo } from '../helpers/io.js'

const golden = async (name: string) => ({
  input: JSON.parse(await readFile(join(REPO_ROOT, 'test/golden/captions', name, 'input.json'), 'utf8')) as { samples: { id: string; hyp: string; refs: string[] }[] },
  expected: JSON.parse(await readFile(join(REPO_ROOT, 'test/golden/captions', name, 'expected.json'), 'utf8')) as { corpus: Record<string, number> },
})

let dir: string
let pred: string
let ref: string
let want: Record<string, number>

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pixcap-eval-captions-'))
  const { input, expected } = await golden('tiny')
  want = expected.corpus
  pred = join(dir, 'results.json')
  ref = join(dir, 'refs.json')
  // Numeric ids as in COCO; the images list fixes the order.
  await writeFile(pred, JSON.stringify(input.samples.map((s) => ({ image_id: Number(s.id), caption: s.hyp, score: 0.5 })).reverse()))
  await writeFile(ref, JSON.stringify({
    images: input.samples.map((s) => ({ id: Number(s.id) })),
    annotations: input.samples.flatMap((s) => s.refs.map((caption, k) => ({ id: Number(s.id) * 10 + k, image_id: Number(s.id), caption }))),
  }))
})

const run = async (args: string[], env: NodeJS.ProcessEnv = {}) => {
  const io = captureIo(env)
  const code = await main(['eval', 'captions', ...args], io)
  return { code, out: io.out(), err: io.err() }
}

describe('pixcap eval captions', () => {
  it('reproduces pycocoevalcap on the tiny set (--no-tokenize --json) and says METEOR/SPICE were not computed', async () => {
    const r = await run(['--pred', pred, '--ref', ref, '--no-tokenize', '--json'])
    expect(r.code).toBe(0)
    const out = JSON.parse(r.out)
    expect(out.images).toBe(4)
    expect(Object.keys(out.scores)).toEqual(['Bleu_1', 'Bleu_2', 'Bleu_3', 'Bleu_4', 'ROUGE_L', 'CIDEr'])
    for (const [k, v] of Object.entries(want)) expect(Math.abs(out.scores[k] - v) / v).toBeLessThanOrEqual(1e-12)
    expect(out.notComputed).toEqual({ METEOR: 'no --meteor-jar', SPICE: 'no --spice-jar' })
    expect(out.refSha256).toMatch(/^[0-9a-f]{64}$/)
  })

  it('prints a text report where missing metrics are "not computed", never 0', async () => {
    const r = await run(['--pred', pred, '--ref', ref, '--no-tokenize'])
    expect(r.code).toBe(0)
    expect(r.out).toContain('METEOR: not computed (no --meteor-jar)')
    expect(r.out).toContain('SPICE: not computed (no --spice-jar)')
    expect(r.out).toContain(`CIDEr: ${want.CIDEr}`)
    expect(r.out).not.toMatch(/METEOR: 0/)
  })

  it('tokenizes by default: punctuation and capitals do not change the tiny-set scores', async () => {
    const p = join(dir, 'results-punct.json')
    const rows = JSON.parse(await readFile(pred, 'utf8')) as { image_id: number; caption: string }[]
    await writeFile(p, JSON.stringify(rows.map((x) => ({ ...x, caption: `${x.caption[0]?.toUpperCase()}${x.caption.slice(1)}.` }))))
    const r = await run(['--pred', p, '--ref', ref, '--metrics', 'BLEU,CIDEr', '--json'])
    const out = JSON.parse(r.out)
    expect(out.tokenize).toBe(true)
    expect(Math.abs(out.scores.CIDEr - (want.CIDEr as number)) / (want.CIDEr as number)).toBeLessThanOrEqual(1e-12)
    expect(out.scores.ROUGE_L).toBeUndefined()
    expect(out.notComputed).toEqual({})
  })

  it('accepts a plain {id: [refs]} map and writes per-sample JSONL atomically', async () => {
    const { input } = await golden('edge-short-hyp')
    const m = join(dir, 'map-refs.json')
    const p = join(dir, 'short-results.json')
    await writeFile(m, JSON.stringify(Object.fromEntries(input.samples.map((s) => [s.id, s.refs]))))
    await writeFile(p, JSON.stringify(input.samples.map((s) => ({ image_id: s.id, caption: s.hyp }))))
    const per = join(dir, 'out/per-sample.jsonl')
    const r = await run(['--pred', p, '--ref', m, '--no-tokenize', '--per-sample', per, '--metrics', 'rouge'])
    expect(r.code).toBe(0)
    const lines = (await readFile(per, 'utf8')).trim().split('\n').map((l) => JSON.parse(l))
    expect(lines).toEqual([{ image_id: '1', ROUGE_L: 0.3262032085561497 }, { image_id: '2', ROUGE_L: 1 }])
  })

  it('counts reference images without a prediction instead of dropping them silently', async () => {
    const p = join(dir, 'partial.json')
    await writeFile(p, JSON.stringify([{ image_id: 2, caption: 'a cat on a couch' }]))
    const r = await run(['--pred', p, '--ref', ref, '--no-tokenize', '--json'])
    const out = JSON.parse(r.out)
    expect(out.images).toBe(1)
    expect(out.missingPredictions).toBe(3)
    expect(out.missingExamples).toEqual(['1', '3', '4'])
  })

  it.each([
    { name: 'caption not a string', rows: [{ image_id: 1, caption: 'x' }, { image_id: 2, caption: 7 }], msg: 'results.json: [1].caption: expected string, got number 7' },
    { name: 'missing image_id', rows: [{ caption: 'x' }], msg: 'results.json: [0].image_id: expected number or string, got nothing' },
    { name: 'duplicate image', rows: [{ image_id: 1, caption: 'x' }, { image_id: 1, caption: 'y' }], msg: 'results.json: [1].image_id: image_id 1 already has a caption at [0]' },
    { name: 'unknown image', rows: [{ image_id: 99, caption: 'x' }], msg: 'results.json: [0].image_id: image_id 99 is not among the reference images' },
    { name: 'not an array', rows: { image_id: 1 }, msg: 'results.json: expected array, got an object' },
  ])('rejects bad results: $name', async ({ rows, msg }) => {
    const sub = await mkdtemp(join(dir, 'bad-'))
    await writeFile(join(sub, 'results.json'), JSON.stringify(rows))
    const r = await run(['--pred', join(sub, 'results.json'), '--ref', ref])
    expect(r.code).toBe(1)
    expect(r.err).toContain(msg)
  })

  it('names the file and path of bad references', async () => {
    const bad = join(dir, 'bad-refs.json')
    await writeFile(bad, JSON.stringify({ annotations: [{ image_id: 1, caption: 'a' }, { image_id: 2, caption: null }] }))
    const r = await run(['--pred', pred, '--ref', bad])
    expect(r.err).toContain('bad-refs.json: annotations[1].caption: expected string, got null')
  })

  it('rejects usage errors with exit code 2', async () => {
    expect((await run(['--ref', ref])).code).toBe(2)
    const r = await run(['--pred', pred, '--ref', ref, '--metrics', 'BLEU,WER'])
    expect(r.code).toBe(2)
    expect(r.err).toContain('unknown metric "WER"')
  })

  describe('with a JAVA-FREE STAND-IN named java on PATH (protocol only; real jars are not tested here)', () => {
    it('runs METEOR and SPICE through the jar protocols', async () => {
      const bin = await mkdtemp(join(dir, 'bin-'))
      await symlink(join(REPO_ROOT, 'test/fixtures/fake-java-meteor-spice.mjs'), join(bin, 'java'))
      const jar = join(dir, 'meteor-1.5.jar')
      await writeFile(jar, 'not a jar')
      const r = await run(['--pred', pred, '--ref', ref, '--no-tokenize', '--metrics', 'METEOR,SPICE', '--meteor-jar', jar, '--spice-jar', jar, '--spice-cache', join(dir, 'cache'), '--json'], { PATH: bin })
      expect(r.err).toBe('')
      const out = JSON.parse(r.out)
      expect(Object.keys(out.scores)).toEqual(['METEOR', 'SPICE'])
      expect(out.scores.METEOR).toBeGreaterThan(0)
      expect(out.notComputed).toEqual({})
    })

    it('says java is missing instead of scoring 0', async () => {
      const r = await run(['--pred', pred, '--ref', ref, '--metrics', 'METEOR', '--meteor-jar', '/nowhere/meteor-1.5.jar', '--json'], { PATH: '/nonexistent' })
      expect(JSON.parse(r.out).notComputed).toEqual({ METEOR: 'java not found on PATH' })
    })
  })
})
