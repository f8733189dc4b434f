import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { main } from '../../../src/cli/main.js'
import { loadTemplates } from '../../../src/instruct/load-templates.js'
import { sha256 } from '../../../src/util/sha256.js'
import { REPO_ROOT } from '../../helpers/fixtures.js'
import { captureIo } from '../../helpers/io.js'

const CHECKOUT = join(REPO_ROOT, 'test/instruct/fixtures/gpt4roi-checkout')
const dir = await mkdtemp(join(tmpdir(), 'pixcap-tplcli-'))
afterAll(() => rm(dir, { recursive: true, force: true }))

describe('pixcap templates', () => {
  it('import-gpt4roi writes a valid template file whose sha256 it reports', async () => {
    const out = join(dir, 'g4r.json')
    const io = captureIo()
    expect(await main(['templates', 'import-gpt4roi', CHECKOUT, '--out', out, '--json'], io)).toBe(0)
    const result = JSON.parse(io.out())
    expect(result.sha256).toBe(sha256(await readFile(out)))
    expect(result.counts).toEqual({ single_region: 10, multi_region: 3, dense: 6, referring: 6 })
    const loaded = await loadTemplates(out)
    expect(loaded.sha256).toBe(result.sha256)
    expect(loaded.templates.single_region[0]?.text).toBe('Tell me what you notice about the area at <region> in this picture.')
  })

  it('check validates a file and reports errors with their path', async () => {
    const io = captureIo()
    expect(await main(['templates', 'check', '--json'], io)).toBe(0)
    expect(JSON.parse(io.out()).counts.single_region).toBe(20)
    const bad = join(dir, 'bad.json')
    await writeFile(bad, JSON.stringify({ name: 'b', version: 1, single_region: [{ id: 'a', text: 'no slot' }] }))
    const io2 = captureIo()
    expect(await main(['templates', 'check', bad], io2)).not.toBe(0)
    expect(io2.err()).toContain(`${bad}: single_region[0].text: expected exactly 1 "<region>" slot, found 0`)
  })

  it('usage errors name the missing flag', async () => {
    const io = captureIo()
    expect(await main(['templates', 'import-gpt4roi', CHECKOUT], io)).toBe(2)
    expect(io.err()).toContain('--out FILE.json is required')
  })
})
