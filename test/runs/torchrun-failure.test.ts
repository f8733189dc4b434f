import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseTorchrunFailure } from '../../src/runs/torchrun-failure.js'
import { REPO_ROOT } from '../helpers/fixtures.js'

const DIR = join(REPO_ROOT, 'test/golden/torchrun-failure')
const CASES = readdirSync(DIR, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name)

describe('parseTorchrunFailure', () => {
  it('has golden cases', () => expect(CASES.length).toBeGreaterThanOrEqual(2))

  it.each(CASES)('%s', (name) => {
    const stderr = readFileSync(join(DIR, name, 'stderr.txt'), 'utf8')
    const expected = JSON.parse(readFileSync(join(DIR, name, 'expected.json'), 'utf8'))
    expect(parseTorchrunFailure(stderr)).toEqual(expected)
  })

  it('returns null without a ChildFailedError block', () => {
    expect(parseTorchrunFailure('Traceback (most recent call last):\nValueError: x\n')).toBeNull()
  })
})
