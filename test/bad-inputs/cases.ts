// The bad inputs of issues 10 and 17, as data: each case writes its inputs into a fresh folder (large ones are
// generated here, never committed), names the command line, and states the documented outcome (docs/bad-inputs.md is
// rendered from this list by scripts/bad-inputs-table.ts; test/bad-inputs/bad-inputs.test.ts checks both agree and
// runs every case through the real CLI). No vitest import: the table script uses it too.
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The bundled templates (a valid file to copy). */
const TEMPLATES = join(dirname(fileURLToPath(import.meta.url)), '../../templates/pixcap-default.json')

/** What a case must produce. */
interface Outcome {
  /** Process exit code: 0 done, 1 error, 2 usage error. */
  exit: 0 | 1 | 2
  /** Pattern the message must match (stderr): names the file and, where there is one, the JSON path. */
  message?: RegExp
  /** One line for the docs table. */
  doc: string
}

/** A case's inputs, written by `make`. */
interface Prepared {
  args: string[]
  /** The corpus folder, whose state after the run is checked. */
  out?: string
  /** Regions in the input (a successful conversion must account for each: in samples or rejected). */
  regions?: number
}

export interface BadInputCase {
  id: string
  /** Issue and finding it comes from. */
  from: string
  what: string
  make(dir: string): Promise<Prepared>
  outcome: Outcome
}

interface Seg {
  id: unknown
  category_id: unknown
  iscrowd: unknown
  area: unknown
  bbox: unknown
  description?: unknown
  [k: string]: unknown
}
interface Doc {
  images: Record<string, unknown>[]
  annotations: { image_id: unknown; file_name: unknown; segments_info: Seg[] }[]
  categories: Record<string, unknown>[]
  [k: string]: unknown
}

/** Image 1 with two regions, image 2 with one (3 regions); `edit` changes it. */
function tinyDoc(edit: (d: Doc) => void = () => {}): Doc {
  const seg = (id: number, description: string): Seg => ({ id, category_id: 1, iscrowd: 0, area: 16, bbox: [0, 0, 4, 4], description })
  const d: Doc = {
    images: [{ id: 1, file_name: 'a.jpg', width: 10, height: 10 }, { id: 2, file_name: 'b.jpg', width: 10, height: 10 }],
    annotations: [
      { image_id: 1, file_name: 'a.png', segments_info: [seg(1, 'a red cup on the wooden table'), seg(2, 'a blue plate beside the cup')] },
      { image_id: 2, file_name: 'b.png', segments_info: [seg(1, 'a small dog lying on a rug')] },
    ],
    categories: [{ id: 1, name: 'cup', isthing: 1 }],
  }
  edit(d)
  return d
}

const regionsOf = (d: Doc): number => d.annotations.reduce((n, a) => n + a.segments_info.length, 0)

async function put(dir: string, name: string, content: string | Buffer): Promise<string> {
  const file = join(dir, name)
  await mkdir(join(file, '..'), { recursive: true })
  await writeFile(file, content)
  return file
}

/** `convert <file> --to gpt4roi --out <dir>/out` over the JSON text `text` written as `name`. */
function convertText(name: string, text: (dir: string) => string | Buffer, extra: string[] = []) {
  return async (dir: string): Promise<Prepared> => {
    const file = await put(dir, name, text(dir))
    const out = join(dir, 'out')
    return { args: ['convert', file, '--to', 'gpt4roi', '--out', out, ...extra], out }
  }
}

/** `convert` over a tiny document changed by `edit`. */
function convertDoc(edit: (d: Doc) => void, extra: string[] = [], name = 'in_train.json') {
  return async (dir: string): Promise<Prepared> => {
    const d = tinyDoc(edit)
    const p = await convertText(name, () => JSON.stringify(d), extra)(dir)
    return { ...p, regions: regionsOf(d) }
  }
}

const seg0 = (d: Doc): Seg => d.annotations[0]!.segments_info[0]!
const F = 'in_train\\.json'

/** A finished corpus of the tiny document in `<dir>/out` (written by hand, as `convert` would leave it). */
async function corpusIn(dir: string, manifest: unknown): Promise<string> {
  const out = join(dir, 'out')
  await put(dir, 'out/data/train-00000-of-00001.parquet', 'PAR1')
  await put(dir, 'out/manifest.json', typeof manifest === 'string' ? manifest : JSON.stringify(manifest))
  return out
}

export const BAD_INPUT_CASES: BadInputCase[] = [
  // --- the file as a whole (issue 10 finding 1, issue 17 probes) ---
  { id: 'truncated', from: '10.1', what: 'truncated JSON', make: convertText('in_train.json', () => JSON.stringify(tinyDoc()).slice(0, 120)), outcome: { exit: 1, message: new RegExp(`${F}: unexpected end of file at byte 120 \\(the file is truncated\\)`), doc: 'error: byte offset of the truncation (and the JSON path when inside an element)' } },
  { id: 'empty', from: '10.1', what: 'empty file', make: convertText('in_train.json', () => ''), outcome: { exit: 1, message: new RegExp(`${F}: unexpected end of file at byte 0 \\(the file is empty\\)`), doc: 'error: the file is empty' } },
  { id: 'whitespace-only', from: '17', what: 'only whitespace', make: convertText('in_train.json', () => '  \n\t\n'), outcome: { exit: 1, message: new RegExp(`${F}: unexpected end of file at byte 5 \\(the file is empty\\)`), doc: 'error: the file is empty' } },
  { id: 'directory', from: '10.7', what: 'a directory given as the annotations', make: async (dir) => ({ args: ['convert', dir, '--to', 'gpt4roi', '--out', join(dir, 'out')], out: join(dir, 'out') }), outcome: { exit: 1, message: /is a directory, expected the annotations file/, doc: 'error: is a directory' } },
  { id: 'missing-file', from: '17', what: 'annotations file does not exist', make: async (dir) => ({ args: ['convert', join(dir, 'nope_train.json'), '--to', 'gpt4roi', '--out', join(dir, 'out')], out: join(dir, 'out') }), outcome: { exit: 1, message: /nope_train\.json: .*(not found|does not exist)/, doc: 'error: file not found' } },
  { id: 'invalid-utf8', from: '10.4', what: 'Latin-1 byte in a description', make: convertText('in_train.json', () => Buffer.from(JSON.stringify(tinyDoc()).replace('wooden', 'caf\u00e9'), 'latin1')), outcome: { exit: 1, message: new RegExp(`${F}: annotations\\[0\\]: invalid UTF-8 at byte \\d+ \\(bytes e9 `), doc: 'error: JSON path and byte offset of the invalid byte' } },
  { id: 'utf8-bom', from: '17', what: 'UTF-8 byte order mark before the object', make: async (dir) => ({ ...(await convertText('in_train.json', () => `\ufeff${JSON.stringify(tinyDoc())}`)(dir)), regions: 3 }), outcome: { exit: 0, doc: 'accepted (the BOM is skipped)' } },
  { id: 'top-level-array', from: '17', what: 'a JSON array instead of an object', make: convertText('in_train.json', () => '[1,2,3]'), outcome: { exit: 1, message: new RegExp(`${F}: has the shape of no registered source \\(pix2cap-coco, .*\\): its top level is a JSON array; if it is one of them, name it with the from option \\(--from NAME\\)`), doc: 'error: no source has this shape; says how to get the reader\'s own error' } },
  { id: 'top-level-array-from', from: '17', what: 'a JSON array, with `--from pix2cap-coco`', make: convertText('in_train.json', () => '[1,2,3]', ['--from', 'pix2cap-coco']), outcome: { exit: 1, message: new RegExp(`${F}: expected a JSON object at byte 0, found '\\['`), doc: 'error: expected a JSON object' } },
  { id: 'missing-annotations', from: '17', what: 'no `annotations` key, with `--from pix2cap-coco`', make: convertText('in_train.json', () => JSON.stringify({ images: [], categories: [] }), ['--from', 'pix2cap-coco']), outcome: { exit: 1, message: new RegExp(`${F}: expected top-level keys images, annotations and categories; missing annotations`), doc: 'error: names the missing keys' } },
  { id: 'missing-annotations-detected', from: '17', what: 'no `annotations` key (shape detection)', make: convertText('in_train.json', () => JSON.stringify({ images: [], categories: [] })), outcome: { exit: 1, message: new RegExp(`${F}: has the shape of no registered source .*its top level is a JSON object`), doc: 'error: no source has this shape' } },
  { id: 'annotations-object', from: '17', what: '`annotations` is an object', make: convertText('in_train.json', () => JSON.stringify({ ...tinyDoc(), annotations: {} })), outcome: { exit: 1, message: new RegExp(`${F}: annotations: expected an array, found an object`), doc: 'error: annotations: expected an array' } },
  { id: 'trailing-garbage', from: '17', what: 'text after the top-level object', make: convertText('in_train.json', () => `${JSON.stringify(tinyDoc())} x`), outcome: { exit: 1, message: new RegExp(`${F}: unexpected 'x' at byte \\d+ after the end of the top-level object`), doc: 'error: byte offset of the extra text' } },
  { id: 'nan-literal', from: '17', what: '`NaN` in a bbox (not JSON)', make: convertText('in_train.json', () => JSON.stringify(tinyDoc()).replace('"bbox":[0,0,4,4]', '"bbox":[0,0,NaN,4]')), outcome: { exit: 1, message: new RegExp(`${F}: annotations\\[0\\]: invalid JSON in the value starting at byte \\d+`), doc: 'error: JSON path of the element, byte offset' } },
  { id: 'deep-nesting', from: '17', what: '100,000 nested arrays in `info` (generated)', make: async (dir) => ({ ...(await convertText('in_train.json', () => JSON.stringify(tinyDoc()).replace(/^\{/, `{"info":${'['.repeat(100_000)}${']'.repeat(100_000)},`))(dir)), regions: 3 }), outcome: { exit: 0, doc: 'accepted (`info` is skipped by the scanner, never parsed)' } },
  // --- strings (issue 17 finding 7, issue 10 finding 4/8) ---
  { id: 'lone-high-surrogate', from: '17.7', what: 'lone `\\ud800` escape in a description', make: convertText('in_train.json', () => JSON.stringify(tinyDoc()).replace('a red cup', 'a red \\ud800 cup')), outcome: { exit: 1, message: new RegExp(`${F}: annotations\\[0\\]\\.segments_info\\[0\\]\\.description: lone surrogate \\\\ud800 at byte \\d+`), doc: 'error: JSON path and byte offset of the escape' } },
  { id: 'lone-low-surrogate', from: '17.7', what: 'lone `\\udc00` escape in a file_name', make: convertText('in_train.json', () => JSON.stringify(tinyDoc()).replace('"b.png"', '"b\\udc00.png"')), outcome: { exit: 1, message: new RegExp(`${F}: annotations\\[1\\]\\.file_name: lone surrogate \\\\udc00 at byte \\d+`), doc: 'error: JSON path and byte offset of the escape' } },
  { id: 'swapped-surrogates', from: '17.7', what: 'low surrogate before high (`\\udc00\\ud800`)', make: convertText('in_train.json', () => JSON.stringify(tinyDoc()).replace('a small dog', 'a \\udc00\\ud800 dog')), outcome: { exit: 1, message: new RegExp(`${F}: annotations\\[1\\]\\.segments_info\\[0\\]\\.description: lone surrogate \\\\udc00`), doc: 'error: JSON path and byte offset' } },
  { id: 'paired-surrogates', from: '17.7', what: 'an emoji written as a surrogate pair escape', make: async (dir) => ({ ...(await convertText('in_train.json', () => JSON.stringify(tinyDoc()).replace('a red cup', 'a red \\ud83d\\ude00 cup'))(dir)), regions: 3 }), outcome: { exit: 0, doc: 'accepted (a well-formed pair)' } },
  { id: 'lone-surrogate-validate', from: '17.7', what: '`validate` on a lone surrogate', make: async (dir) => ({ args: ['validate', await put(dir, 'in_train.json', JSON.stringify(tinyDoc()).replace('a blue plate', '\\udbff plate')), '--panoptic-dir', dir] }), outcome: { exit: 1, message: new RegExp(`${F}: annotations\\[0\\]\\.segments_info\\[1\\]\\.description: lone surrogate \\\\udbff`), doc: 'error in validate, same message' } },
  { id: 'empty-description', from: '10.8', what: 'empty description', make: convertDoc((d) => (seg0(d).description = '')), outcome: { exit: 0, doc: 'reject (caption too short), counted in the manifest' } },
  { id: 'two-char-description', from: '10.8', what: '2-character description', make: convertDoc((d) => (seg0(d).description = 'ok')), outcome: { exit: 0, doc: 'reject (caption too short), counted' } },
  { id: 'huge-description', from: '10.8', what: '50 MB description (generated)', make: convertDoc((d) => (seg0(d).description = 'word '.repeat(10 * 2 ** 20))), outcome: { exit: 0, doc: 'reject (over --max-caption-chars), counted; output stays small' } },
  { id: 'description-number', from: '17', what: 'description is a number', make: convertDoc((d) => (seg0(d).description = 7)), outcome: { exit: 1, message: new RegExp(`${F}: .*annotations\\[0\\]\\.segments_info\\[0\\]\\.description`), doc: 'error (reader error list); --reject-invalid makes it a counted reject' } },
  { id: 'description-missing', from: '17', what: 'no description', make: convertDoc((d) => delete seg0(d).description), outcome: { exit: 1, message: new RegExp(`${F}: .*annotations\\[0\\]\\.segments_info\\[0\\]`), doc: 'error (reader error list)' } },
  { id: 'mark-leftover', from: '10.8', what: 'set-of-mark leftover with --drop-mark-leftovers', make: convertDoc((d) => (seg0(d).description = 'the cup next to object 12 on the table'), ['--drop-mark-leftovers']), outcome: { exit: 0, doc: 'reject (mark leftover), counted' } },
  // --- ids and joins (issue 10 finding 4) ---
  { id: 'duplicate-image-id', from: '10.4', what: 'two images with the same id', make: convertDoc((d) => d.images.push({ id: 1, file_name: 'c.jpg', width: 10, height: 10 })), outcome: { exit: 1, message: new RegExp(`${F}: \\d+ errors? in the input; nothing was written:[\\s\\S]*images\\[2\\]`), doc: 'error: lists each problem with its JSON path' } },
  { id: 'duplicate-image-id-rejected', from: '10.4', what: 'duplicate image ids with --reject-invalid', make: convertDoc((d) => d.annotations.push({ image_id: 2, file_name: 'b.png', segments_info: [{ id: 5, category_id: 1, iscrowd: 0, area: 16, bbox: [0, 0, 4, 4], description: 'a duplicate entry of image two' }] }), ['--reject-invalid']), outcome: { exit: 0, doc: 'converted; the duplicate\'s regions are counted rejects' } },
  { id: 'annotation-without-image', from: '17', what: 'annotation whose image_id has no image', make: convertDoc((d) => (d.annotations[1]!.image_id = 99)), outcome: { exit: 1, message: new RegExp(`${F}: .*annotations\\[1\\]`), doc: 'error (reader error list)' } },
  { id: 'duplicate-segment-id', from: '17', what: 'two segments with the same id in one image', make: convertDoc((d) => (d.annotations[0]!.segments_info[1]!.id = 1)), outcome: { exit: 1, message: new RegExp(`${F}: .*annotations\\[0\\]\\.segments_info\\[1\\]`), doc: 'error (reader error list)' } },
  { id: 'segment-id-string', from: '17', what: 'segment id is a string', make: convertDoc((d) => (seg0(d).id = '1')), outcome: { exit: 1, message: new RegExp(`${F}: .*annotations\\[0\\]\\.segments_info\\[0\\]\\.id`), doc: 'error (reader error list)' } },
  { id: 'unknown-category', from: '17', what: 'category_id not in categories', make: convertDoc((d) => (seg0(d).category_id = 77)), outcome: { exit: 1, message: new RegExp(`${F}: .*annotations\\[0\\]\\.segments_info\\[0\\]`), doc: 'error (reader error list)' } },
  // --- geometry (issue 10 finding 7) ---
  { id: 'bbox-three-numbers', from: '17', what: 'bbox with 3 numbers', make: convertDoc((d) => (seg0(d).bbox = [0, 0, 4])), outcome: { exit: 1, message: new RegExp(`${F}: .*annotations\\[0\\]\\.segments_info\\[0\\]\\.bbox`), doc: 'error (reader error list)' } },
  { id: 'bbox-outside-image', from: '10.7', what: 'bbox outside the image', make: convertDoc((d) => (seg0(d).bbox = [50, 50, 4, 4])), outcome: { exit: 0, doc: 'reject (box_outside_image), counted' } },
  { id: 'bbox-outside-image-rejected', from: '10.7', what: 'bbox outside the image, --reject-invalid', make: convertDoc((d) => (seg0(d).bbox = [50, 50, 4, 4]), ['--reject-invalid']), outcome: { exit: 0, doc: 'converted; the region is a counted reject' } },
  { id: 'bbox-negative-width', from: '17', what: 'bbox with a negative width', make: convertDoc((d) => (seg0(d).bbox = [2, 2, -3, 4])), outcome: { exit: 0, doc: 'reject (tiny_box), counted' } },
  { id: 'bbox-huge-number', from: '17', what: '`1e400` in a bbox (Infinity)', make: convertText('in_train.json', () => JSON.stringify(tinyDoc()).replace('"bbox":[0,0,4,4]', '"bbox":[0,0,1e400,4]')), outcome: { exit: 1, message: new RegExp(`${F}: .*annotations\\[0\\]\\.segments_info\\[0\\]`), doc: 'error (reader error list)' } },
  { id: 'image-zero-width', from: '17', what: 'image with width 0', make: convertDoc((d) => (d.images[0]!.width = 0)), outcome: { exit: 1, message: new RegExp(`${F}: .*images\\[0\\]`), doc: 'error (reader error list)' } },
  // --- paths inside the input (issue 17) ---
  { id: 'file-name-escape', from: '17', what: '`../../etc/passwd` as an annotation file_name', make: convertDoc((d) => (d.annotations[0]!.file_name = '../../etc/passwd.png')), outcome: { exit: 1, message: new RegExp(`${F}: .*annotations\\[0\\].*escapes its root`), doc: 'error: path escapes its root' } },
  { id: 'file-name-absolute', from: '17', what: 'absolute image file_name', make: convertDoc((d) => (d.images[0]!.file_name = '/etc/passwd')), outcome: { exit: 1, message: new RegExp(`${F}: .*images\\[0\\].*is absolute`), doc: 'error: path is absolute' } },
  { id: 'file-name-nul', from: '17', what: 'NUL byte in a file_name', make: convertDoc((d) => (d.images[1]!.file_name = 'b\u0000.jpg')), outcome: { exit: 1, message: new RegExp(`${F}: .*images\\[1\\].*NUL`), doc: 'error: contains a NUL byte' } },
  // --- outputs and inputs (issue 17 finding 2) ---
  { id: 'input-named-rejects', from: '17.2', what: 'input is `<out>/rejects.jsonl`', make: async (dir) => { const out = join(dir, 'out'); const file = await put(dir, 'out/rejects.jsonl', JSON.stringify(tinyDoc())); return { args: ['convert', file, '--to', 'gpt4roi', '--out', out, '--split', 'train'], out } }, outcome: { exit: 1, message: /out\/rejects\.jsonl: the pix2cap-coco annotations file is the output file rejects\.jsonl of the corpus/, doc: 'error before anything is written' } },
  { id: 'input-named-manifest', from: '17.2', what: 'input is `<out>/manifest.json`', make: async (dir) => { const out = join(dir, 'out'); const file = await put(dir, 'out/manifest.json', JSON.stringify(tinyDoc())); return { args: ['convert', file, '--to', 'gpt4roi', '--out', out, '--split', 'train', '--overwrite'], out } }, outcome: { exit: 1, message: /out\/manifest\.json: the pix2cap-coco annotations file is the output file manifest\.json/, doc: 'error before anything is written (also with --overwrite)' } },
  { id: 'input-symlink-to-output', from: '17.2', what: 'input is a symlink to `<out>/jsonl/train.jsonl`', make: async (dir) => { const out = join(dir, 'out'); const target = await put(dir, 'out/jsonl/train.jsonl', JSON.stringify(tinyDoc())); const link = join(dir, 'link_train.json'); await symlink(target, link); return { args: ['convert', link, '--to', 'gpt4roi', '--out', out, '--format', 'jsonl'], out } }, outcome: { exit: 1, message: /link_train\.json: the pix2cap-coco annotations file \(.*out\/jsonl\/train\.jsonl\) is the output folder jsonl\//, doc: 'error: the real path is named' } },
  { id: 'templates-in-output', from: '17.2', what: '--templates inside `<out>/data/`', make: async (dir) => { const out = join(dir, 'out'); const t = await put(dir, 'out/data/t.json', await readFile(join(TEMPLATES), 'utf8')); const file = await put(dir, 'in_train.json', JSON.stringify(tinyDoc())); return { args: ['convert', file, '--to', 'gpt4roi', '--out', out, '--templates', t], out } }, outcome: { exit: 1, message: /out\/data\/t\.json: the templates file is the output folder data\//, doc: 'error before anything is written' } },
  { id: 'overwrite-lists-input', from: '17.2', what: 'old manifest lists the input file; --overwrite', make: async (dir) => { const file = await put(dir, 'out/in_train.json', JSON.stringify(tinyDoc())); const out = await corpusIn(dir, { files: [{ file: 'in_train.json' }, { file: 'data/train-00000-of-00001.parquet' }] }); return { args: ['convert', file, '--to', 'gpt4roi', '--out', out, '--overwrite'], out } }, outcome: { exit: 1, message: /out\/manifest\.json: files\[0\]\.file: --overwrite would remove in_train\.json, which is the pix2cap-coco annotations file/, doc: 'error; nothing removed' } },
  // --- the output folder (issue 10 finding 5, issue 17 finding 1) ---
  { id: 'out-is-file', from: '17', what: '--out names a file', make: async (dir) => { const out = await put(dir, 'out', 'x'); const file = await put(dir, 'in_train.json', JSON.stringify(tinyDoc())); return { args: ['convert', file, '--to', 'gpt4roi', '--out', out], out } }, outcome: { exit: 1, message: /out: .*(not a folder|not a directory|ENOTDIR|EEXIST)/, doc: 'error: not a folder' } },
  { id: 'out-holds-corpus', from: '10.5', what: '--out holds another corpus', make: async (dir) => { const out = await corpusIn(dir, { files: [{ file: 'data/train-00000-of-00001.parquet' }] }); const file = await put(dir, 'in_train.json', JSON.stringify(tinyDoc())); return { args: ['convert', file, '--to', 'gpt4roi', '--out', out], out } }, outcome: { exit: 1, message: /out: the output folder already holds a corpus \(manifest\.json lists 1 files\); pass --overwrite/, doc: 'error: refused unless --overwrite' } },
  { id: 'out-orphan-files', from: '10.5', what: '--out holds corpus files without a manifest', make: async (dir) => { const out = join(dir, 'out'); await put(dir, 'out/arrow/train-00000-of-00001.arrow', 'x'); const file = await put(dir, 'in_train.json', JSON.stringify(tinyDoc())); return { args: ['convert', file, '--to', 'gpt4roi', '--out', out, '--overwrite'], out } }, outcome: { exit: 1, message: /out: --overwrite needs the previous manifest\.json to know what to remove; the folder holds arrow\/train-00000-of-00001\.arrow/, doc: 'error: never removes unlisted files' } },
  { id: 'manifest-escape', from: '17', what: 'old manifest lists `../outside`; --overwrite', make: async (dir) => { const out = await corpusIn(dir, { files: [{ file: '../outside.txt' }, { file: 'data/train-00000-of-00001.parquet' }] }); await put(dir, 'outside.txt', 'keep me'); const file = await put(dir, 'in_train.json', JSON.stringify(tinyDoc())); return { args: ['convert', file, '--to', 'gpt4roi', '--out', out, '--overwrite'], out } }, outcome: { exit: 1, message: /out\/manifest\.json: files\[0\]\.file: "\.\.\/outside\.txt" escapes its root/, doc: 'error; nothing removed' } },
  { id: 'manifest-invalid-json', from: '17', what: 'old manifest is not JSON; --overwrite', make: async (dir) => { const out = await corpusIn(dir, '{"files": ['); const file = await put(dir, 'in_train.json', JSON.stringify(tinyDoc())); return { args: ['convert', file, '--to', 'gpt4roi', '--out', out, '--overwrite'], out } }, outcome: { exit: 1, message: /out\/manifest\.json: not valid JSON/, doc: 'error naming the manifest' } },
  { id: 'stale-incomplete', from: '17.1', what: '`.incomplete` files of an older crash, no lock', make: async (dir) => { const out = join(dir, 'out'); await put(dir, 'out/data/train-00000.parquet.123.abc.incomplete', 'partial'); await put(dir, 'out/rejects.jsonl.123.abc.incomplete', 'partial'); return { ...(await convertDoc(() => {})(dir)), out } }, outcome: { exit: 0, doc: 'converted; the temporary files are swept and listed in the summary' } },
  { id: 'live-lock', from: '17.1', what: 'another live pixcap holds `.pixcap-lock`', make: async (dir) => { const p = await convertDoc(() => {})(dir); await put(dir, 'out/.pixcap-lock', JSON.stringify({ lockVersion: 1, command: 'convert', pid: process.pid, host: (await import('node:os')).hostname(), procStart: null, startedAt: 'now', key: 'k', removing: [], committing: [], shards: [], batches: [] })); return p }, outcome: { exit: 1, message: /out\/\.pixcap-lock: another pixcap convert \(pid \d+ on host .*\) is writing this folder/, doc: 'error: names the writer; nothing touched' } },
  { id: 'lock-other-host', from: '17.1', what: '`.pixcap-lock` of a writer on another host', make: async (dir) => { const p = await convertDoc(() => {})(dir); await put(dir, 'out/.pixcap-lock', JSON.stringify({ lockVersion: 1, command: 'convert', pid: 4242, host: 'node-elsewhere', procStart: null, startedAt: 'then', key: 'k', removing: [], committing: [], shards: [], batches: [] })); return p }, outcome: { exit: 1, message: /out\/\.pixcap-lock: a pixcap convert \(pid 4242 on host node-elsewhere, started then\) holds this folder; this host cannot check/, doc: 'error: says how to take over' } },
  { id: 'lock-corrupt', from: '17.1', what: '`.pixcap-lock` is not JSON', make: async (dir) => { const p = await convertDoc(() => {})(dir); await put(dir, 'out/.pixcap-lock', '{"pid": 1'); return p }, outcome: { exit: 1, message: /out\/\.pixcap-lock: not valid JSON/, doc: 'error naming the lock' } },
  { id: 'resume-wrong-options', from: '17.1', what: '--resume with another seed than the dead run', make: async (dir) => { const p = await convertDoc(() => {})(dir); await put(dir, 'out/.pixcap-lock', JSON.stringify({ lockVersion: 1, command: 'convert', pid: 999999, host: (await import('node:os')).hostname(), procStart: null, startedAt: 'then', key: 'other', removing: [], committing: [], shards: [], batches: [] })); return { ...p, args: [...p.args, '--resume'] } }, outcome: { exit: 1, message: /out: a pixcap convert \(pid 999999 .*\) died while writing this folder with other inputs or options/, doc: 'error: resume needs the same inputs and options' } },
  // --- options (issue 10 finding 7) ---
  { id: 'split-path', from: '17', what: '--split `../x`', make: convertDoc(() => {}, ['--split', '../x']), outcome: { exit: 1, message: /split name "\.\.\/x" must be letters, digits/, doc: 'error: split name becomes a file name' } },
  { id: 'seed-negative', from: '10.7', what: '--seed -1', make: convertDoc(() => {}, ['--seed=-1']), outcome: { exit: 2, message: /--seed must be in 0\.\.4294967295, got -1/, doc: 'usage error' } },
  { id: 'max-shard-rows-zero', from: '17', what: '--max-shard-rows 0', make: convertDoc(() => {}, ['--max-shard-rows', '0']), outcome: { exit: 2, message: /--max-shard-rows must be a positive integer, got 0/, doc: 'usage error' } },
  { id: 'templates-invalid', from: '17', what: '--templates file is truncated JSON', make: async (dir) => { const t = await put(dir, 'templates.json', '{"question": ['); return convertDoc(() => {}, ['--templates', t])(dir) }, outcome: { exit: 1, message: /templates\.json: cannot parse template file: Unexpected end of JSON input/, doc: 'error naming the templates file' } },
  { id: 'templates-lone-surrogate', from: '17.7', what: '--templates with a lone surrogate', make: async (dir) => { const t = await put(dir, 'templates.json', (await readFile(TEMPLATES, 'utf8')).replace('"name": "pixcap-default"', '"name": "pixcap-\\ud800"')); return convertDoc(() => {}, ['--templates', t])(dir) }, outcome: { exit: 1, message: /templates\.json: name: lone surrogate \\ud800 at byte \d+/, doc: 'error: JSON path and byte offset' } },
]
