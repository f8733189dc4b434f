// `pixcap view` as a real process over a corpus made with `pixcap convert`: what it serves, what it refuses.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { request } from 'node:http'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BUNDLED_SAMPLE_DIR, REPO_ROOT } from '../helpers/fixtures.js'
import { readParquetHyparquet } from '../helpers/readback.js'
import { useTempDir } from '../helpers/temp-dir.js'
import { BIN, startView, type ViewProcess } from '../helpers/view-process.js'

/** A raw request: the path goes out exactly as written (no client-side normalising of `..`). */
function raw(url: string, path: string, method = 'GET'): Promise<{ status: number; body: Buffer; type: string }> {
  const u = new URL(url)
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path, method }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), type: String(res.headers['content-type']) }))
    })
    req.on('error', reject)
    req.end()
  })
}
const json = async (url: string, path: string) => JSON.parse((await raw(url, path)).body.toString())

describe('pixcap view server', () => {
  let dir = ''
  useTempDir('pixcap-view-server-', (d) => (dir = d))
  let view: ViewProcess
  let rows: Record<string, unknown>[] = []

  beforeAll(async () => {
    if (!existsSync(join(REPO_ROOT, 'dist/cli/main.js'))) execFileSync('npm', ['run', '-s', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' })
    execFileSync(process.execPath, [BIN, 'convert', join(BUNDLED_SAMPLE_DIR, 'pix2cap_sample_train.json'), '--to', 'gpt4roi', '--out', join(dir, 'corpus'),
      '--images-dir', join(BUNDLED_SAMPLE_DIR, 'images'), '--panoptic-dir', join(BUNDLED_SAMPLE_DIR, 'panoptic'), '--json'])
    rows = await readParquetHyparquet(join(dir, 'corpus/data/train-00000-of-00001.parquet'))
    view = await startView([join(dir, 'corpus'), '--runs-dir', join(dir, 'runs')])
  })
  afterAll(async () => {
    if (view) expect(await view.stop()).toBe(0)
  })

  it('listens on 127.0.0.1 on a port the system picked, and prints it', () => {
    expect(view.info).toMatchObject({ ok: true, host: '127.0.0.1', corpus: { rows: rows.length, rowGroups: 1, converted: false } })
    expect(view.info.port).toBeGreaterThan(0)
    expect(view.url).toBe(`http://127.0.0.1:${view.info.port}/`)
  })

  it('pages match the Parquet rows read by an independent reader', async () => {
    const page = await json(view.url, '/api/samples?offset=5&limit=4')
    expect(page.total).toBe(rows.length)
    expect(page.rows.map((r: { id: string }) => r.id)).toEqual(rows.slice(5, 9).map((r) => r.id))
    expect(page.rows[0].regions.map((r: { caption: string }) => r.caption)).toEqual((rows[5]!.regions as { caption: string }[]).map((r) => r.caption))
    expect(page.rows[0].mask).toBe(String(rows[5]!.image).replace(/\.jpg$/, '.png'))
    const filtered = await json(view.url, '/api/samples?minRegions=7')
    expect(filtered.total).toBe(rows.filter((r) => (r.regions as unknown[]).length >= 7).length)
    expect((await raw(view.url, '/api/samples?minRegions=many')).status).toBe(400)
    expect((await raw(view.url, '/api/samples/999')).status).toBe(404)
  })

  it('serves resized photos and mask outlines', async () => {
    const photo = await raw(view.url, '/img/000000000001.jpg?w=160')
    expect([photo.status, photo.type]).toEqual([200, 'image/jpeg'])
    expect((await sharp(photo.body).metadata()).width).toBe(160)
    const outline = await raw(view.url, '/mask/000000000001.png?segs=3539210&w=160&h=120')
    const { data, info } = await sharp(outline.body).raw().toBuffer({ resolveWithObject: true })
    expect([info.width, info.height, info.channels]).toEqual([160, 120, 4])
    let opaque = 0
    for (let i = 3; i < data.length; i += 4) if (data[i] === 255) opaque++
    expect(opaque).toBeGreaterThan(100)
  })

  it.each([
    ['raw ..', '/img/../../../../etc/passwd'],
    ['encoded ..', '/img/..%2F..%2F..%2F..%2Fetc%2Fpasswd'],
    ['encoded absolute', '/img/%2Fetc%2Fpasswd'],
    ['mask root', '/mask/..%2Fimages%2F000000000001.jpg'],
    ['NUL', '/img/000000000001.jpg%00.png'],
  ])('refuses a path outside its roots (%s)', async (_name, path) => {
    const res = await raw(view.url, path)
    expect([403, 404]).toContain(res.status)
    expect(res.body.toString()).not.toContain('root:')
    expect(res.type).toContain('application/json')
  })

  it('an escaping image path is refused with 403 and says why', async () => {
    const res = await json(view.url, '/img/..%2F..%2Fetc%2Fpasswd')
    expect(res.error.code).toBe('path_escape')
    expect(res.error.detail).toBe('"../../etc/passwd" escapes its root directory')
  })

  it.each(['POST', 'PUT', 'DELETE', 'PATCH'])('has no write endpoints: %s answers 405', async (method) => {
    for (const path of ['/api/samples', '/api/runs', '/img/000000000001.jpg', '/']) expect((await raw(view.url, path, method)).status).toBe(405)
  })

  it('a missing corpus is a JSON error on stdout and exit code 1', () => {
    const r = spawnSync(process.execPath, [BIN, 'view', join(dir, 'nope'), '--json'], { encoding: 'utf8' })
    expect(r.status).toBe(1)
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, error: { code: 'not_found', detail: 'no such corpus directory or annotations file' } })
  })

  it('an annotations file is converted to a temporary corpus and served', async () => {
    const other = await startView([join(BUNDLED_SAMPLE_DIR, 'pix2cap_sample_train.json'), '--images-dir', join(BUNDLED_SAMPLE_DIR, 'images')])
    try {
      expect(other.info.port).not.toBe(view.info.port)
      expect(other.info.corpus).toMatchObject({ rows: rows.length, converted: true })
      expect((await json(other.url, '/api/rejects')).total).toBe(4)
    } finally {
      expect(await other.stop()).toBe(0)
    }
    expect(existsSync(String((other.info.corpus as { dir: string }).dir))).toBe(false)
  })
})
