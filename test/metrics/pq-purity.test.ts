// Project rule (STYLE.md §2, §15): src/metrics/pq is pure, like the rest of src/metrics: no fs, sharp or processes.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { REPO_ROOT } from '../helpers/fixtures.js'

const DIR = join(REPO_ROOT, 'src/metrics/pq')

describe('src/metrics/pq purity', () => {
  it.each(readdirSync(DIR).filter((f) => f.endsWith('.ts')))('%s imports no fs, sharp, workers or child processes', (file) => {
    const src = readFileSync(join(DIR, file), 'utf8')
    expect(src).not.toMatch(/from '(node:)?(fs|fs\/promises|child_process|worker_threads)'|from 'sharp'|from 'execa'/)
  })
})
