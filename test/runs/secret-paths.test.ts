// A Unicode secret on every output path of `pixcap run` (issue 17, finding 5): stdout.log (where Python escapes it as
// \uXXXX), stderr.log (clear), a step's saved stdout, run.json, events.jsonl and the console, through the real CLI.
import { readFile, readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { execa } from 'execa'
import { describe, expect, it } from 'vitest'
import { HAS_PYTHON, PYTHON, REPO_ROOT } from '../helpers/fixtures.js'
import { useTempDir } from '../helpers/temp-dir.js'

let dir: string
useTempDir('pixcap-secret-paths-', (d) => (dir = d))

const SECRET = 'hf_ünïcødé-秘密-😀-0123'
const asciiEscaped = (s: string): string => JSON.stringify(s).slice(1, -1).replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)

describe.skipIf(!HAS_PYTHON)('a Unicode secret in a run', () => {
  it('is masked in every file and on the console, escaped or clear', async () => {
    const script = [
      'import json, os, sys',
      's = os.environ["HF_TOKEN"]',
      'print(json.dumps({"token": s}))', // ensure_ascii: \\u00fc... in stdout.log
      'print("clear:", s, flush=True)',
      'print("stderr:", s, file=sys.stderr)',
      'print(json.dumps({"token": s}), file=sys.stderr)',
    ].join('\n')
    await writeFile(join(dir, 'leak.py'), script)
    await writeFile(join(dir, 'r.yaml'), `name: leak\nsteps:\n  - {name: leak, command: [${JSON.stringify(PYTHON)}, leak.py], stdout: leak.txt}\n`)
    const runsDir = join(dir, 'runs')
    for (const json of [false, true]) {
      const r = await execa('node', [join(REPO_ROOT, 'bin/pixcap.js'), 'run', join(dir, 'r.yaml'), '--runs-dir', runsDir, ...(json ? ['--json'] : [])], { cwd: dir, env: { ...process.env, HF_TOKEN: SECRET }, reject: false })
      expect(r.exitCode).toBe(0)
      for (const text of [r.stdout, r.stderr]) {
        expect(text).not.toContain(SECRET)
        expect(text).not.toContain(asciiEscaped(SECRET))
      }
    }
    const [runA, runB] = await readdir(runsDir)
    for (const id of [runA, runB]) {
      const runDir = join(runsDir, id as string)
      const files = ['stdout.log', 'stderr.log', 'run.json', 'artifacts/leak.txt']
      for (const f of files) {
        const text = await readFile(join(runDir, f), 'utf8')
        expect(text, f).not.toContain(SECRET)
        expect(text, f).not.toContain(asciiEscaped(SECRET))
        expect(text, f).not.toContain(SECRET.slice(3, 10))
      }
      expect(await readFile(join(runDir, 'stdout.log'), 'utf8')).toContain('{"token": "***"}\nclear: ***\n')
      expect(await readFile(join(runDir, 'stderr.log'), 'utf8')).toContain('stderr: ***\n{"token": "***"}\n')
    }
  })
})
