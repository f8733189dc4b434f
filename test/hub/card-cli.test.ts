// pixcap card through the real CLI: the YAML front matter parses and is what `datasets` reads, the pictures are real
// PNG files behind relative links, and regenerating keeps what the user wrote.
import { appendFile, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { execa } from 'execa'
import sharp from 'sharp'
import { beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { CARD_END, splitFrontMatter } from '../../src/hub/card-merge.js'
import { BUNDLED_SAMPLE_DIR, HAS_PYTHON, PYTHON, REPO_ROOT } from '../helpers/fixtures.js'
import { useTempDir } from '../helpers/temp-dir.js'

const BIN = join(REPO_ROOT, 'bin/pixcap.js')
let tmp: string
useTempDir('pixcap-card-', (d) => (tmp = d))

describe('pixcap card', () => {
  let corpus: string
  beforeAll(async () => {
    corpus = join(tmp, 'corpus')
    const s = BUNDLED_SAMPLE_DIR
    await execa('node', [BIN, 'convert', join(s, 'pix2cap_sample_train.json'), '--to', 'gpt4roi', '--panoptic-dir', join(s, 'panoptic'), '--images-dir', join(s, 'images'), '--out', corpus])
    const r = await execa('node', [BIN, 'card', corpus, '--json'])
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, rows: 12, regions: 69, captions: 69, examplePhoto: true })
  }, 120_000)

  it('writes YAML the Hub reads: configs per split, features, licence, sizes', async () => {
    const { yaml } = splitFrontMatter(await readFile(join(corpus, 'README.md'), 'utf8'))
    const front = parse(yaml!)
    expect(front.configs).toEqual([{ config_name: 'default', data_files: [{ split: 'train', path: ['data/train-00000-of-00001.parquet'] }] }])
    expect(front.dataset_info.splits).toEqual([{ name: 'train', num_examples: 12 }])
    expect(front.dataset_info.features.map((f: { name: string }) => f.name)).toEqual(['id', 'image', 'image_id', 'width', 'height', 'conversations', 'boxes', 'regions', 'template_ids', 'source', 'split', 'masks'])
    expect(front).toMatchObject({ license: 'apache-2.0', size_categories: ['n<1K'], task_categories: ['image-text-to-text'], language: ['en'] })
    expect(front.pretty_name).toBe('Pix2Cap-COCO gpt4roi (pixcap)')
  })

  it('links real PNG pictures by relative paths, with the example drawn on its photo', async () => {
    const text = await readFile(join(corpus, 'README.md'), 'utf8')
    const links = [...text.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]!)
    expect(links).toEqual(['assets/card/words-per-caption.png', 'assets/card/regions-per-row.png', 'assets/card/example.png'])
    for (const l of links) expect((await sharp(join(corpus, l)).metadata()).format).toBe('png')
    const example = await sharp(join(corpus, 'assets/card/example.png')).metadata()
    expect([example.width, example.height]).toEqual([192, 144])
    expect(text).toContain('| train | 12 | 69 | 69 | 27.70 / 27 / 21-32 | 5.75 / 6 / 4-7 |')
    expect(text).toContain('| annotations | pix2cap_sample_train.json | 21338 |')
    expect(text).toContain('arXiv:2501.13893')
  })

  it('regenerating keeps the user section and the user\'s YAML byte for byte', async () => {
    const file = join(corpus, 'README.md')
    const first = await readFile(file, 'utf8')
    const mine = '\n## How we used it\n\nWe trained GPT4RoI on it; **do not** remove this.\n'
    const withYaml = first.replace('license: apache-2.0', 'license: cc-by-4.0\nannotations_creators:\n  - machine-generated')
    await writeFile(file, withYaml + mine)
    await execa('node', [BIN, 'card', corpus])
    const second = await readFile(file, 'utf8')
    expect(second.endsWith(mine)).toBe(true)
    expect(second.slice(second.indexOf(CARD_END))).toBe(withYaml.slice(withYaml.indexOf(CARD_END)) + mine)
    const front = parse(splitFrontMatter(second).yaml!)
    expect(front.license).toBe('cc-by-4.0')
    expect(front.annotations_creators).toEqual(['machine-generated'])
    expect(second).toBe(withYaml + mine) // nothing else changed either: same corpus, same card
  })

  it('refuses a corpus whose files differ from the manifest', async () => {
    const part = join(corpus, 'data/train-00000-of-00001.parquet')
    const original = await readFile(part)
    await appendFile(part, 'x')
    const r = await execa('node', [BIN, 'card', corpus, '--json'], { reject: false })
    await writeFile(part, original)
    expect(r.exitCode).toBe(1)
    expect(JSON.parse(r.stdout).error.detail).toContain('refusing to write a card: the corpus fails 1 check against its manifest (first at files[0].bytes)')
  })

  it.skipIf(!HAS_PYTHON)('datasets.load_dataset(<corpus>) finds the splits and the declared features in the card', async () => {
    const r = await execa(PYTHON, [join(REPO_ROOT, 'test/hub/card_readback.py'), corpus], { env: { HF_DATASETS_OFFLINE: '1', HF_HUB_OFFLINE: '1', HF_DATASETS_CACHE: join(tmp, 'hf-cache') } })
    const out = JSON.parse(r.stdout)
    expect(out.splits).toEqual({ train: 12 })
    const front = parse(splitFrontMatter(await readFile(join(corpus, 'README.md'), 'utf8')).yaml!)
    // datasets' own YAML form of what it loaded equals what the card declares.
    expect(out.features).toEqual(front.dataset_info.features)
    expect(out.card_features).toEqual(front.dataset_info.features)
    expect(out.card_data_keys).toEqual(expect.arrayContaining(['configs', 'dataset_info', 'license', 'task_categories', 'size_categories', 'language', 'pretty_name']))
  }, 120_000)

  it.skipIf(!HAS_PYTHON)('--embed-images: the card declares an Image column, datasets loads it as one, the example uses the embedded photo', async () => {
    const embedded = join(tmp, 'embedded')
    const s = BUNDLED_SAMPLE_DIR
    await execa('node', [BIN, 'convert', join(s, 'pix2cap_sample_train.json'), '--to', 'gpt4roi', '--images-dir', join(s, 'images'), '--out', embedded, '--embed-images'])
    // --images-dir pointing nowhere: the photo can only come from the embedded bytes.
    const card = await execa('node', [BIN, 'card', embedded, '--images-dir', join(tmp, 'no-images'), '--json'])
    expect(JSON.parse(card.stdout).examplePhoto).toBe(true)
    const r = await execa(PYTHON, [join(REPO_ROOT, 'test/hub/card_readback.py'), embedded], { env: { HF_DATASETS_OFFLINE: '1', HF_HUB_OFFLINE: '1', HF_DATASETS_CACHE: join(tmp, 'hf-cache') } })
    const out = JSON.parse(r.stdout)
    expect(out.features[1]).toEqual({ name: 'image', dtype: 'image' })
    expect(out.card_features).toEqual(out.features)
  }, 120_000)
})
