// METEOR/SPICE drivers against a JAVA-FREE STAND-IN (test/fixtures/fake-java-meteor-spice.mjs) that speaks the jars'
// protocols with toy numbers: this tests protocol handling only. Real meteor-1.5.jar / spice-1.0.jar runs are not
// tested in this repository.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { meteorScoreLine, planMeteor, runMeteor, type ProcessPlan } from '../../src/eval/meteor.js'
import { planSpice, runSpice } from '../../src/eval/spice.js'
import { REPO_ROOT } from '../helpers/fixtures.js'

const FAKE = join(REPO_ROOT, 'test/fixtures/fake-java-meteor-spice.mjs')
const pairs = [
  { hyp: 'a cat on a mat', refs: ['a cat sits', 'the mat'] },
  { hyp: 'two dogs', refs: ['two dogs run'] },
  { hyp: 'x y z', refs: ['a b'] },
]

describe('METEOR driver (stand-in process)', () => {
  it('plans the command pycocoevalcap runs, from the jar directory', () => {
    expect(planMeteor('/opt/meteor/meteor-1.5.jar', '/usr/bin/java')).toEqual({
      file: '/usr/bin/java', args: ['-jar', '-Xmx2G', '/opt/meteor/meteor-1.5.jar', '-', '-', '-stdio', '-l', 'en', '-norm'], cwd: '/opt/meteor',
    })
  })

  it('writes SCORE lines with refs first and ||| stripped from the hypothesis', () => {
    expect(meteorScoreLine('a ||| b', ['r1', 'r2'])).toBe('SCORE ||| r1 ||| r2 ||| a b')
  })

  it('reads one stats line per image, then per-image scores and the pooled corpus score', async () => {
    const plan: ProcessPlan = { file: process.execPath, args: [FAKE, '-jar', 'x.jar', '-', '-', '-stdio'], cwd: REPO_ROOT }
    const r = await runMeteor(pairs, plan)
    // toy stats: best unigram overlap / hyp length -> 2/5 ('a','cat'... 'a' twice counts), 2/2, 0/3
    expect(r.perImage).toEqual([3 / 5, 1, 0])
    expect(r.corpus).toBe((3 + 2 + 0) / (5 + 2 + 3))
  })

  it('reports a process that dies mid-protocol with its stderr', async () => {
    const plan: ProcessPlan = { file: process.execPath, args: [FAKE, '-stdio'], cwd: REPO_ROOT }
    process.env.FAKE_METEOR_DIE_AFTER = '1'
    try {
      await expect(runMeteor(pairs, plan)).rejects.toThrow(/METEOR closed its output before answering a SCORE line.*simulated crash/s)
    } finally {
      delete process.env.FAKE_METEOR_DIE_AFTER
    }
  })

  it('fails clearly when the program does not exist', async () => {
    await expect(runMeteor(pairs, { file: '/nonexistent/java', args: [], cwd: REPO_ROOT })).rejects.toThrow(/\/nonexistent\/java: METEOR closed its output.*ENOENT/s)
  })
})

describe('SPICE driver (stand-in process)', () => {
  it('plans the command pycocoevalcap runs', () => {
    expect(planSpice('/opt/spice/spice-1.0.jar', { input: '/t/in.json', output: '/t/out.json' }, 'java')).toEqual({
      file: 'java', args: ['-jar', '-Xmx8G', '/opt/spice/spice-1.0.jar', '/t/in.json', '-cache', '/opt/spice/cache', '-out', '/t/out.json', '-subset', '-silent'], cwd: '/opt/spice',
    })
  })

  it('matches output rows by image_id and averages All.f', async () => {
    const plan = (files: { input: string; output: string }): ProcessPlan => {
      const p = planSpice('/x/spice-1.0.jar', files, 'java')
      return { file: process.execPath, args: [FAKE, ...p.args], cwd: REPO_ROOT }
    }
    const r = await runSpice(pairs, [1, 2, 3], plan)
    expect(r.perImage).toEqual([3 / 5, 1, 0])
    expect(r.corpus).toBeCloseTo((3 / 5 + 1) / 3, 15)
  })

  it('turns a non-number f into NaN, as spice.py float_convert does', async () => {
    const plan = (files: { input: string; output: string }): ProcessPlan => ({ file: process.execPath, args: [FAKE, ...planSpice('/x/s.jar', files).args], cwd: REPO_ROOT })
    const r = await runSpice([{ hyp: 'nan please', refs: ['a'] }], ['a'], plan)
    expect(r.perImage[0]).toBeNaN()
    expect(r.corpus).toBeNaN()
  })

  it('reports a failing process with its exit code', async () => {
    const plan = (): ProcessPlan => ({ file: process.execPath, args: [FAKE, '--bogus'], cwd: REPO_ROOT })
    await expect(runSpice(pairs, [1, 2, 3], plan)).rejects.toThrow(/exited with code 2.*unsupported arguments --bogus/s)
  })
})
