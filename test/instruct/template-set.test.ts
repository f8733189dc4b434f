import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DEFAULT_TEMPLATES_FILE, loadTemplates, parseTemplatesText } from '../../src/instruct/load-templates.js'
import { CAPTION_SLOT, fillTemplate, parseTemplateSet, REGION_SLOT } from '../../src/instruct/template-set.js'
import { sha256 } from '../../src/util/sha256.js'

const good = () => ({
  name: 't',
  version: 1,
  single_region: [{ id: 's/1', text: 'What is <region>?' }],
  referring: [{ id: 'r/1', text: 'Which of <region> is <caption>' }],
})

describe('bundled templates', () => {
  it('load, validate and hash the file bytes', async () => {
    const loaded = await loadTemplates()
    expect(loaded.file).toBe(DEFAULT_TEMPLATES_FILE)
    expect(loaded.sha256).toBe(sha256(await readFile(DEFAULT_TEMPLATES_FILE)))
    const t = loaded.templates
    expect(t.single_region).toHaveLength(20)
    expect(t.multi_region.length).toBeGreaterThan(0)
    expect(t.dense.length).toBeGreaterThan(0)
    expect(t.referring.length).toBeGreaterThan(0)
    for (const tpl of t.single_region) expect(tpl.text.split(REGION_SLOT)).toHaveLength(2)
    for (const tpl of t.dense) expect(tpl.text).not.toContain(REGION_SLOT)
    for (const tpl of t.referring) expect(tpl.text.split(CAPTION_SLOT)).toHaveLength(2)
  })

  it('ids are unique across kinds', async () => {
    const t = (await loadTemplates()).templates
    const ids = [...t.single_region, ...t.multi_region, ...t.dense, ...t.referring].map((x) => x.id)
    expect(new Set(ids).size).toBe(ids.length)
  })
})

describe('template validation', () => {
  it.each([
    {
      name: 'missing slot',
      edit: (d: any) => (d.single_region[0].text = 'What is this?'),
      msg: 'my.json: single_region[0].text: expected exactly 1 "<region>" slot, found 0',
    },
    {
      name: 'two slots',
      edit: (d: any) => (d.single_region[0].text = '<region> and <region>'),
      msg: 'my.json: single_region[0].text: expected exactly 1 "<region>" slot, found 2',
    },
    {
      name: 'literal <bbox>',
      edit: (d: any) => (d.single_region[0].text = 'What is region1 <bbox> <region>?'),
      msg: 'my.json: single_region[0].text: contains the reserved token "<bbox>"; write "<region>" where the region goes',
    },
    {
      name: 'caption slot missing in referring',
      edit: (d: any) => (d.referring[0].text = 'Which of <region>?'),
      msg: 'my.json: referring[0].text: expected exactly 1 "<caption>" slot, found 0',
    },
    {
      name: 'slot in a dense template',
      edit: (d: any) => (d.dense = [{ id: 'd/1', text: 'Describe <region>' }]),
      msg: 'my.json: dense[0].text: expected exactly 0 "<region>" slots, found 1; dense templates take no <region>',
    },
    {
      name: 'duplicate id',
      edit: (d: any) => d.single_region.push({ id: 's/1', text: 'Again <region>?' }),
      msg: 'my.json: single_region[1].id: duplicate id "s/1" (first used at single_region[0])',
    },
    {
      name: 'bad id (schema)',
      edit: (d: any) => (d.single_region[0].id = 'has space'),
      msg: 'my.json: single_region[0].id: expected an id of letters, digits and _ . / : - (e.g. "single/01")',
    },
    {
      name: 'missing text (schema)',
      edit: (d: any) => delete d.single_region[0].text,
      msg: 'my.json: single_region[0].text:',
    },
    {
      name: 'no single_region templates',
      edit: (d: any) => (d.single_region = []),
      msg: 'my.json: single_region: expected at least one single_region template',
    },
  ])('$name', ({ edit, msg }) => {
    const doc = good()
    edit(doc)
    expect(() => parseTemplateSet(doc, 'my.json')).toThrow(msg)
  })

  it('names every issue, first one in the path', () => {
    const doc: any = good()
    doc.single_region[0].text = 'no slot'
    doc.referring[0].text = 'no slots at all'
    expect(() => parseTemplateSet(doc, 'my.json')).toThrow(
      'my.json: single_region[0].text: expected exactly 1 "<region>" slot, found 0 (and 2 more: referring[0].text: expected exactly 1 "<region>" slot, found 0; referring[0].text: expected exactly 1 "<caption>" slot, found 0)',
    )
  })

  it('reads a user YAML file and hashes it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pixcap-tpl-'))
    const file = join(dir, 'mine.yaml')
    const text = 'name: mine\nversion: 1\nsingle_region:\n  - id: q1\n    text: "Tell me about <region>."\n'
    await writeFile(file, text)
    const loaded = await loadTemplates(file)
    expect(loaded.sha256).toBe(sha256(text))
    expect(loaded.templates.single_region).toEqual([{ id: 'q1', text: 'Tell me about <region>.' }])
    expect(loaded.templates.referring).toEqual([])
  })

  it('reports unparsable and missing files with their name', async () => {
    await expect(parseTemplatesText('{"name": ', 'broken.json')).rejects.toThrow(/^broken\.json: cannot parse template file:/)
    await expect(loadTemplates('/nonexistent/templates.json')).rejects.toThrow(/^\/nonexistent\/templates\.json: cannot read template file:/)
  })
})

describe('fillTemplate', () => {
  it('fills slots literally (no $-patterns)', () => {
    expect(fillTemplate({ id: 'x', text: 'Is <caption> in <region>?' }, { region: 'region1 <bbox>', caption: 'a $& b' })).toBe(
      'Is a $& b in region1 <bbox>?',
    )
  })
})
