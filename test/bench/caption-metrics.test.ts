import { execFileSync } from 'node:child_process'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { generateCaptionSet } from '../../bench/stages/caption-metrics.js'
import { HAS_PYTHON, PYTHON, REPO_ROOT } from '../helpers/fixtures.js'

describe('bench caption-metrics', () => {
  it('generates the same input for the same seed, 5 references per hypothesis', () => {
    const a = generateCaptionSet(50)
    expect(generateCaptionSet(50)).toEqual(a)
    expect(a.refs.every((r) => r.length === 5)).toBe(true)
    expect(generateCaptionSet(50, 2).hyps).not.toEqual(a.hyps)
  })

  it.skipIf(!HAS_PYTHON)('the Python side reports "skipped" without PIXCAP_PYCOCOEVALCAP', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pixcap-bench-'))
    await writeFile(join(dir, 'in.json'), JSON.stringify(generateCaptionSet(3)))
    const env = { ...process.env }
    delete env.PIXCAP_PYCOCOEVALCAP
    const out = execFileSync(PYTHON, [join(REPO_ROOT, 'bench/pycocoevalcap_scorers.py'), '--input', join(dir, 'in.json')], { env, encoding: 'utf8' })
    expect(JSON.parse(out)).toEqual({ skipped: 'set PIXCAP_PYCOCOEVALCAP (or --pycocoevalcap=DIR) to the directory containing pycocoevalcap/' })
  })
})
