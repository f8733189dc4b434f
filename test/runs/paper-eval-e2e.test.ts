// The paper's two evaluations, each ONE recipe run with ONE command through the real CLI (child processes), on CPU
// with the bridge's smoke backend: vipbench-bbox-eval (prepare -> infer -> grade against an OpenAI-compatible judge
// this test starts on 127.0.0.1 -> score) and vg-region-caption-eval (vg-prepare -> infer -> vg-score), on a small
// ViP-Bench-shaped set and a small GRiT-shaped VG set made here. The run store must show the run, its answers,
// grades and final scores. A smoke checkpoint is trained first with the smoke-cpu recipe (also through the CLI).
import { existsSync } from 'node:fs'
import { cp, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { execa } from 'execa'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RegionAnswer, RegionQuestion } from '../../src/schemas/region-qa.js'
import { startChatServer } from '../helpers/chat-server.js'
import { HAS_PYTHON, PYTHON, REPO_ROOT } from '../helpers/fixtures.js'
import { VIP_META, writeVipFixture } from '../vipbench/vip-fixture.js'

const CLI = join(REPO_ROOT, 'bin/pixcap.js')
const HAS_BUILD = existsSync(join(REPO_ROOT, 'dist/cli/main.js'))
const skip = process.env.CI ? null : !HAS_PYTHON ? `no Python venv at ${PYTHON}` : !HAS_BUILD ? 'dist/ is not built (npm run build)' : null

/** Runs the real CLI as a child process; returns exit code and the parsed --json document. */
async function pixcap(args: string[], env: Record<string, string> = {}) {
  const r = await execa(process.execPath, [CLI, ...args], { cwd: REPO_ROOT, env: { PIXCAP_PYTHON: PYTHON, ...env }, reject: false, timeout: 300_000 })
  let json: any = null
  try {
    json = JSON.parse(String(r.stdout))
  } catch {
    json = null
  }
  return { code: r.exitCode, json, stdout: String(r.stdout), stderr: String(r.stderr) }
}

const jsonl = async (file: string) => (await readFile(file, 'utf8')).trim().split('\n').map((l) => JSON.parse(l))

describe.skipIf(skip !== null)(`paper evaluations end to end through the CLI${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let work: string
  let runsDir: string
  let checkpoint: string
  const servers: { close(): Promise<void> }[] = []

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'pixcap-paper-e2e-'))
    runsDir = join(work, 'runs')
    const corpus = join(work, 'demo')
    const demo = await pixcap(['demo', '--out', corpus, '--json'])
    expect(demo.code, demo.stderr).toBe(0)
    const train = await pixcap(['run', 'smoke-cpu', '--runs-dir', runsDir, '--json', '--set', `corpus=${corpus}`, '--set', 'steps.train.config.steps=4', '--set', 'steps.train.config.save_every=0'])
    expect(train.code, `${train.stderr}\n${train.json?.record?.failure?.message}`).toBe(0)
    const ckpt = train.json.record.artifacts.find((a: { kind: string }) => a.kind === 'checkpoint')
    checkpoint = join(train.json.dir, ckpt.path)
  }, 600_000)
  afterAll(async () => {
    for (const s of servers) await s.close()
  })

  it('vipbench-bbox-eval: prepare, infer, grade with the evaluator prompt from a checkout, score; all in the run store', async () => {
    const root = await writeVipFixture()
    const sizes: Record<string, [number, number]> = { 'v1_0.png': [200, 100], 'v1_1.png': [400, 200], 'v1_2.png': [100, 100] }
    for (const [name, [w, h]] of Object.entries(sizes)) {
      await sharp({ create: { width: w, height: h, channels: 3, background: '#4080c0' } }).png().toFile(join(root, 'source_image', name))
    }
    // A stand-in ViP-LLaVA checkout: only the evaluator file, with the shape the judge prompt is read from
    // (a `prompt = """..."""` assignment and a retry suffix appended with `+`). The wording is this test's own.
    const vipLlava = join(work, 'ViP-LLaVA')
    await mkdir(join(vipLlava, 'scripts/eval'), { recursive: true })
    const judgePrompt = 'STAND-IN JUDGE PROMPT: grade the prediction against the ground truth, 0.0 to 1.0.\nQuestion | Ground truth | Prediction | Correctness\n'
    await writeFile(join(vipLlava, 'scripts/eval/vip-bench_evaluator.py'), `prompt = """${judgePrompt}"""\n\ndef ask(q):\n    return q + "\\nStand-in retry: digits only: "\n`)
    // The judge: v1_1 gets 0.5, the others 1.0.
    const server = await startChatServer((req) => (req.content.includes('bigger than') ? '0.5' : '1.0'))
    servers.push(server)

    const r = await pixcap([
      'run', 'vipbench-bbox-eval', '--runs-dir', runsDir, '--json',
      '--set', 'backend=smoke', '--set', `checkpoint=${checkpoint}`, '--set', `vipbench_root=${root}`, '--set', `vip_llava_home=${vipLlava}`,
      '--set', `judge_base_url=${server.baseUrl}`, '--set', 'judge_key_env=E2E_JUDGE_KEY', '--set', 'max_new_tokens=6',
    ], { E2E_JUDGE_KEY: 'sk-e2e-secret' })
    expect(r.code, `${r.stderr}\n${r.json?.record?.failure?.message}`).toBe(0)
    const { dir, id } = r.json
    const art = join(dir, 'artifacts')

    const questions = await jsonl(join(art, 'questions.jsonl'))
    expect(questions.map((q) => RegionQuestion.parse(q).question_id)).toEqual([0, 1, 2])
    const answers = (await jsonl(join(art, 'answers.jsonl'))).map((a) => RegionAnswer.parse(a))
    expect(answers.map((a) => a.question_id)).toEqual([0, 1, 2])
    // Pix2Cap's ViP-Bench inference decodes with sampling at temperature 0.2 (model_vqa.py generate()).
    expect(answers[0]?.metadata).toEqual({ backend: 'smoke', temperature: 0.2, max_new_tokens: 6, seed: 0, stop: '###' })
    expect(answers[0]?.model_id).toBe('checkpoint-4')

    // The judge saw the stand-in evaluator's prompt, one query per sample, with the answer the bridge gave.
    expect(server.requests).toHaveLength(3)
    expect(server.requests.every((q) => q.content.startsWith(judgePrompt) && q.maxTokens === 3 && q.temperature === 0)).toBe(true)
    expect(server.requests[0]?.content.endsWith(` | ${answers[0]?.text} | `)).toBe(true)
    expect(server.requests[0]?.authorization).toBe('Bearer sk-e2e-secret')

    const grades = JSON.parse(await readFile(join(art, 'grades.json'), 'utf8'))
    expect(Object.fromEntries(Object.entries(grades).map(([k, v]) => [k, (v as { score: number[] }).score]))).toEqual({ v1_0: [1], v1_1: [0.5], v1_2: [1] })
    const scores = JSON.parse(await readFile(join(art, 'scores.json'), 'utf8'))
    expect(scores.judgePrompt).toBe(join(vipLlava, 'scripts/eval/vip-bench_evaluator.py'))
    expect(scores.judgeModel).toBe('gpt-4-0613')
    expect(scores.total).toBeCloseTo((100 * 2.5) / Object.keys(VIP_META).length, 10)
    expect(Object.fromEntries(scores.capabilities.map((c: { name: string; score: number }) => [c.name, c.score]))).toEqual({ rec: 75, ocr: 100, spat: 50, math: 100 })

    // The run store: the run, its steps and files, and no secret anywhere in the record.
    const show = await pixcap(['runs', 'show', id, '--runs-dir', runsDir, '--json'])
    expect(show.code, show.stderr).toBe(0)
    const rec = show.json.run
    expect(rec.status).toBe('finished')
    expect(rec.steps.map((s: { name: string }) => s.name)).toEqual(['prepare', 'infer', 'grade', 'score'])
    expect(rec.artifacts.map((a: { path: string }) => a.path)).toContain('artifacts/answers.jsonl')
    for (const f of ['grades.json', 'scores.json', 'scores.csv']) expect(existsSync(join(art, f))).toBe(true)
    expect(await readFile(join(dir, 'run.json'), 'utf8')).not.toContain('sk-e2e-secret')
  }, 600_000)

  it('vg-region-caption-eval: GRiT-style test set, prepare, infer, score; metrics in the run store', async () => {
    const images = join(work, 'vg-images')
    await cp(join(REPO_ROOT, 'sample/images'), images, { recursive: true })
    const meta = await Promise.all(['000000000001.jpg', '000000000002.jpg'].map(async (f) => ({ f, ...(await sharp(join(images, f)).metadata()) })))
    const test = {
      images: meta.map((m, i) => ({ id: 5000 + i, file_name: m.f, width: m.width, height: m.height })),
      annotations: [
        { id: 1, image_id: 5000, bbox: [10, 10, 100, 80], caption: 'a person standing on the grass' },
        { id: 2, image_id: 5000, bbox: [50, 40, 60, 60], caption: 'a white dog' },
        { id: 3, image_id: 5001, bbox: [0, 0, 120, 90], caption: 'a red car parked on the street' },
      ],
    }
    const annotations = join(work, 'vg-test.json')
    await writeFile(annotations, JSON.stringify(test))
    const r = await pixcap([
      'run', 'vg-region-caption-eval', '--runs-dir', runsDir, '--json',
      '--set', 'backend=smoke', '--set', `checkpoint=${checkpoint}`, '--set', `annotations=${annotations}`, '--set', `images_root=${images}`,
      '--set', 'max_new_tokens=6', '--set', 'metrics=BLEU,ROUGE_L,CIDEr',
    ])
    expect(r.code, `${r.stderr}\n${r.json?.record?.failure?.message}`).toBe(0)
    const art = join(r.json.dir, 'artifacts')
    const prepared = JSON.parse(await readFile(join(art, 'prepare.json'), 'utf8'))
    expect(prepared).toMatchObject({ layout: 'grit', questions: 3 })
    const shard = JSON.parse(await readFile(join(art, 'results', 'checkpoint-4_vg_0.json'), 'utf8'))
    expect(shard.map((s: { image_id: number }) => s.image_id)).toEqual([1, 2, 3])
    const metrics = JSON.parse(await readFile(join(art, 'metrics.json'), 'utf8'))
    expect(metrics.images).toBe(3)
    expect(Object.keys(metrics.scores)).toEqual(['Bleu_1', 'Bleu_2', 'Bleu_3', 'Bleu_4', 'ROUGE_L', 'CIDEr'])
    for (const v of Object.values(metrics.scores)) expect(Number.isFinite(v)).toBe(true)
    const show = await pixcap(['runs', 'show', r.json.id, '--runs-dir', runsDir, '--json'])
    const rec = show.json.run
    expect(rec.status).toBe('finished')
    expect(rec.steps.map((s: { name: string }) => s.name)).toEqual(['prepare', 'infer', 'score'])
  }, 600_000)
})
