// The real app in headless Chromium, on a corpus and runs made with the real CLI (convert, run smoke-cpu), served by
// a real `pixcap view` process. Each page's screenshot is kept under .test-results/view/ (test artefacts).
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, readFile, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BUNDLED_SAMPLE_DIR, HAS_PYTHON, PYTHON, REPO_ROOT } from '../helpers/fixtures.js'
import { HAS_CHROMIUM, launchChromium } from '../helpers/browser.js'
import { readParquetHyparquet } from '../helpers/readback.js'
import { useTempDir } from '../helpers/temp-dir.js'
import { BIN, startView, type ViewProcess } from '../helpers/view-process.js'

const SHOTS = join(REPO_ROOT, '.test-results/view')

describe.skipIf(!HAS_CHROMIUM)('pixcap view in headless Chromium', () => {
  let dir = ''
  useTempDir('pixcap-view-browser-', (d) => (dir = d))
  let view: ViewProcess
  let browser: Awaited<ReturnType<typeof launchChromium>>
  let page: Page
  let rows: { regions: { category: string }[] }[] = []
  const pixcap = (args: string[]) => execFileSync(process.execPath, [BIN, ...args], { env: { ...process.env, PIXCAP_PYTHON: PYTHON }, encoding: 'utf8' })
  const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true })
  const open = async (hash: string) => {
    // A hash-only change does not reload the page: clear the marker the app sets when a page is drawn.
    await page.evaluate("document.getElementById('main')?.removeAttribute('data-ready')").catch(() => {})
    const target = `${view.url}${hash}`
    if (page.url() === target) await page.reload()
    else await page.goto(target)
    await page.waitForSelector('#main[data-ready]')
  }

  beforeAll(async () => {
    if (!existsSync(join(REPO_ROOT, 'dist/cli/main.js'))) execFileSync('npm', ['run', '-s', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' })
    await mkdir(SHOTS, { recursive: true })
    const corpus = join(dir, 'corpus')
    pixcap(['convert', join(BUNDLED_SAMPLE_DIR, 'pix2cap_sample_train.json'), '--to', 'gpt4roi', '--out', corpus, '--images-dir', join(BUNDLED_SAMPLE_DIR, 'images'),
      '--panoptic-dir', join(BUNDLED_SAMPLE_DIR, 'panoptic'), '--json'])
    rows = (await readParquetHyparquet(join(corpus, 'data/train-00000-of-00001.parquet'))) as typeof rows
    if (HAS_PYTHON) {
      for (const lr of ['0.003', '0.001']) {
        pixcap(['run', join(REPO_ROOT, 'recipes/smoke-cpu.yaml'), '--runs-dir', join(dir, 'runs'), '--set', `vars.corpus=${corpus}`,
          '--set', `vars.images_root=${join(BUNDLED_SAMPLE_DIR, 'images')}`, '--set', `steps.0.config.lr=${lr}`, '--json'])
      }
    }
    view = await startView([corpus, '--runs-dir', join(dir, 'runs')])
    browser = await launchChromium()
    page = await browser.context.newPage()
  })

  afterAll(async () => {
    await browser?.close()
    if (view) expect(await view.stop()).toBe(0)
  })

  it('listens on 127.0.0.1 and opens on the grid: one card per sample, mask outlines and numbered boxes', async () => {
    expect(view.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
    await open('#/samples')
    expect(await page.textContent('[data-testid=count]')).toBe(`${rows.length} samples`)
    expect(await page.locator('[data-testid=sample-card]').count()).toBe(rows.length)
    const first = page.locator('[data-testid=sample-card]').first()
    expect(await first.locator('g.region').count()).toBe(rows[0]!.regions.length)
    expect(await first.locator('[data-testid=mask-outline]').count()).toBe(1)
    await shot('grid')
  })

  it('a sample page links each region token to its overlay, both ways', async () => {
    await open('#/samples')
    await page.locator('[data-testid=sample-card]').nth(1).click()
    await page.waitForSelector('[data-testid=token-2]')
    expect(page.url()).toMatch(/#\/sample\/1$/)
    await page.hover('[data-testid=token-2]')
    expect(await page.getAttribute('[data-testid=figure] g.region[data-k="2"]', 'class')).toContain('hl')
    expect(await page.getAttribute('[data-testid=figure] g.region[data-k="1"]', 'class')).toContain('dim')
    expect(await page.getAttribute('[data-testid=token-1]', 'class')).not.toContain('hl')
    await shot('sample')
    await page.hover('[data-testid=figure] g.region[data-k="3"] g.num rect', { force: true })
    expect(await page.getAttribute('[data-testid=token-3]', 'class')).toContain('hl')
    expect(await page.getAttribute('[data-testid=token-2]', 'class')).not.toContain('hl')
  })

  it('a category filter shows as many samples as the corpus has with that category', async () => {
    await open('#/samples')
    const category = 'laptop'
    const want = rows.filter((r) => r.regions.some((g) => g.category === category)).length
    expect(want).toBeGreaterThan(0)
    expect(want).toBeLessThan(rows.length)
    await page.selectOption('[data-testid=filter-category]', category)
    await page.click('[data-testid=apply]')
    await page.waitForFunction(`document.querySelector('[data-testid=count]')?.textContent === '${want} samples'`)
    expect(await page.locator('[data-testid=sample-card]').count()).toBe(want)
    expect(page.url()).toContain('category=laptop')
  })

  it('the rejects page lists every reject with its reason and draws the dropped region', async () => {
    const manifest = JSON.parse(await readFile(join(dir, 'corpus/manifest.json'), 'utf8'))
    await open('#/rejects')
    expect(await page.textContent('[data-testid=count]')).toBe(`${manifest.counts.regions.rejected} rejects`)
    expect(await page.locator('[data-testid=reject-card]').count()).toBe(manifest.counts.regions.rejected)
    expect(await page.locator('[data-testid=dropped]').count()).toBe(manifest.counts.regions.rejected)
    await shot('rejects')
    await page.click('[data-testid=reason-crowd]')
    await page.waitForFunction(`document.querySelector('[data-testid=count]')?.textContent === '1 rejects'`)
  })

  it('the statistics page draws three histograms', async () => {
    await open('#/stats')
    expect(await page.locator('[data-testid=histogram]').count()).toBe(3)
    const regions = rows.reduce((n, r) => n + r.regions.length, 0)
    expect(await page.textContent('main p')).toBe(`${rows.length} samples, ${regions} regions`)
    await shot('stats')
  })

  it.skipIf(!HAS_PYTHON)('runs: the table, a run whose loss curve has a point per metrics line, and two runs overlaid', async () => {
    await open('#/runs')
    expect(await page.locator('[data-testid=run-row]').count()).toBe(2)
    await shot('runs')
    const ids = await readdir(join(dir, 'runs'))
    const id = ids[0]!
    const lossLines = (await readFile(join(dir, 'runs', id, 'metrics.jsonl'), 'utf8')).split('\n').filter((l) => l.includes('"name":"loss"')).length
    expect(lossLines).toBeGreaterThan(10)
    await open(`#/run/${id}`)
    const curve = page.locator('[data-metric=loss] polyline')
    expect(Number(await curve.getAttribute('data-points'))).toBe(lossLines)
    expect((await curve.getAttribute('points'))!.trim().split(' ')).toHaveLength(lossLines)
    expect(await page.locator('[data-metric=loss] circle').count()).toBe(lossLines)
    expect(await page.textContent('[data-testid=run-status]')).toBe('finished')
    expect(await page.textContent('[data-testid=run-config]')).toContain('smoke')
    await shot('run')
    await open('#/runs')
    for (const box of await page.locator('[data-testid=compare-pick]').all()) await box.check()
    await page.click('[data-testid=compare]')
    await page.waitForSelector('[data-metric=loss] polyline')
    expect((await page.locator('[data-metric=loss] polyline').all()).length).toBe(2)
    await shot('compare')
  })
})
