import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { importGpt4RoiTemplates } from '../../src/instruct/import-gpt4roi-templates.js'
import { loadTemplates } from '../../src/instruct/load-templates.js'
import { REPO_ROOT } from '../helpers/fixtures.js'

const CHECKOUT = join(REPO_ROOT, 'test/instruct/fixtures/gpt4roi-checkout')

describe('importGpt4RoiTemplates', () => {
  it('reads vg.py and flickr30k.py lists and converts the slot', async () => {
    const { templates, sources, refgEqualsVg } = await importGpt4RoiTemplates({ checkout: CHECKOUT })
    expect(templates.name).toBe('gpt4roi-upstream-vg')
    expect(templates.single_region).toHaveLength(10)
    expect(templates.single_region[0]).toEqual({ id: 'gpt4roi/vg/00', text: 'Tell me what you notice about the area at <region> in this picture.' })
    expect(templates.single_region[3]?.text).toBe('Describe the "thing" inside <region> for me.')
    expect(templates.single_region.every((t) => !t.text.includes('<spi_descript>'))).toBe(true)
    expect(templates.multi_region.map((t) => t.id)).toEqual(['gpt4roi/flickr30k/00', 'gpt4roi/flickr30k/01', 'gpt4roi/flickr30k/02'])
    expect(templates.dense).toEqual([])
    expect(sources.map((s) => [s.key, s.count])).toEqual([
      ['vg', 10],
      ['refcoco', 2],
      ['flickr30k', 3],
    ])
    expect(sources[0]?.sha256).toMatch(/^[0-9a-f]{64}$/)
    expect(refgEqualsVg).toBe(false)
  })

  it('can take the single-region list from refcoco.py and the other kinds from a fallback', async () => {
    const fallback = (await loadTemplates()).templates
    const { templates } = await importGpt4RoiTemplates({ checkout: CHECKOUT, single: 'refcoco', fallback })
    expect(templates.single_region.map((t) => t.text)).toEqual([
      'Tell me what you notice about the area at <region> in this picture.',
      'A different sentence about <region>.',
    ])
    expect(templates.dense).toEqual(fallback.dense)
    expect(templates.referring).toEqual(fallback.referring)
  })

  it('reports a missing optional file and refuses a missing required one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pixcap-g4r-'))
    try {
      await cp(CHECKOUT, dir, { recursive: true })
      await rm(join(dir, 'gpt4roi/datasets/flickr30k.py'))
      const { sources, templates } = await importGpt4RoiTemplates({ checkout: dir })
      expect(sources.find((s) => s.key === 'flickr30k')?.missing).toBe(true)
      expect(templates.multi_region).toEqual([])
      await rm(join(dir, 'gpt4roi/datasets/vg.py'))
      await expect(importGpt4RoiTemplates({ checkout: dir })).rejects.toThrow(/vg\.py: cannot read FINAL_QUESTIONS: .*is .* a GPT4RoI checkout\?/)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('names the entry whose slot count is wrong', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pixcap-g4r-'))
    try {
      await cp(CHECKOUT, dir, { recursive: true })
      const vg = join(dir, 'gpt4roi/datasets/vg.py')
      await writeFile(vg, "FINAL_QUESTIONS = [\n  'ok <spi_descript>',\n  'no slot here',\n]\n")
      await expect(importGpt4RoiTemplates({ checkout: dir })).rejects.toThrow(`${vg}: FINAL_QUESTIONS[1]: expected exactly one "<spi_descript>" slot, found 0 in "no slot here"`)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
