// The public API is a list of operations (src/index.ts); building blocks are reached through the subpaths that
// package.json "exports" lists, each backed by a folder index.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import * as api from '../src/index.js'
import { REPO_ROOT } from './helpers/fixtures.js'

describe('public API', () => {
  it('exports each CLI operation as one function', () => {
    const operations = [
      'validateSource', 'statsSource', 'previewImages', 'convertDataset', 'mergeManifests', 'runDemo', 'loadTemplates', 'importGpt4RoiTemplates',
      'writeDatasetCard', 'publishDataset', 'serveView', 'evaluateCaptionFiles', 'evalPanoptic', 'evalPanopticCaptions', 'prepareVgRegionCaption',
      'scoreVgRegionCaptions', 'prepareVipBench', 'gradeVipBench', 'scoreVipBench', 'runRecipe', 'listRuns', 'readRun', 'cancelRun', 'compareRuns',
      'plotRuns', 'runLog', 'runDoctor', 'openSource', 'filterImages',
    ]
    for (const name of operations) expect(typeof (api as Record<string, unknown>)[name], name).toBe('function')
    // Internals stay behind subpaths: no worker plumbing or CLI flag tables at the root.
    for (const name of ['createWorkerPool', 'serveTasks', 'FILTER_POLICY_FLAGS', 'filterPolicyFromFlags', 'ArrowBatchBuilder', 'streamJsonObject']) {
      expect(name in api, name).toBe(false)
    }
    expect(Object.keys(api).length).toBeLessThan(120)
  })

  it('every subpath export has its folder index, and the root export is the built index', () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { exports: Record<string, string | { import: string; types: string }> }
    const subpaths = Object.entries(pkg.exports).filter(([k]) => k !== '.' && k !== './package.json')
    expect(subpaths.map(([k]) => k)).toEqual(['./records', './sources', './formats', './instruct', './geometry', './metrics', './io'])
    for (const [key, target] of subpaths) {
      const t = target as { import: string; types: string }
      expect(t.import).toBe(`./dist${key.slice(1)}/index.js`)
      expect(existsSync(join(REPO_ROOT, `src${key.slice(1)}/index.ts`)), key).toBe(true)
    }
  })
})
