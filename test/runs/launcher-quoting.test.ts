// The launchers' one quoting function and the sbatch script, run through a real bash (issue 17, finding 3): hostile
// values stay data; a line break that would end an `#SBATCH` line is refused with the recipe key that carried it.
import { chmod, mkdir, writeFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { execa } from 'execa'
import { describe, expect, it } from 'vitest'
import { loadRecipe } from '../../src/recipes/load.js'
import { planRun } from '../../src/recipes/plan.js'
import { shellQuote } from '../../src/recipes/launchers/slurm.js'
import { REPO_ROOT } from '../helpers/fixtures.js'
import { useTempDir } from '../helpers/temp-dir.js'

let dir: string
useTempDir('pixcap-quoting-', (d) => (dir = d), { each: true })

const hostile = (sentinel: string): string[] => [
  `a\ntouch ${sentinel}\nb`,
  `$(touch ${sentinel})`,
  `\`touch ${sentinel}\``,
  `it's "quoted" \\ 'twice'`,
  `; touch ${sentinel} #`,
  '',
  'plain-word_1.2/x',
]

async function planFrom(cwd: string, recipeYaml: string, set: string[] = []) {
  const file = join(cwd, 'r.yaml')
  await writeFile(file, recipeYaml)
  const loaded = await loadRecipe({ recipe: file, set, cwd, env: {} })
  return planRun({ recipe: loaded.recipe, recipeFile: loaded.file, runId: 'RID', runDir: join(cwd, 'runs/RID'), cwd, python: 'python3', bridgeEnv: {}, pixcapArgv: ['node', 'pixcap.js'] })
}

describe('shellQuote', () => {
  it('round-trips newlines, quotes, $() and backticks through bash as single words, running nothing', async () => {
    const sentinel = join(dir, 'pwned')
    const words = hostile(sentinel)
    const r = await execa('bash', ['-c', `printf '%s\\0' ${words.map(shellQuote).join(' ')}`])
    expect(r.stdout.split('\0').slice(0, -1)).toEqual(words)
    expect(existsSync(sentinel)).toBe(false)
  })
})

describe('sbatch script', () => {
  it('runs command words and env values with newlines, $() and backticks as data (the script runs under bash)', async () => {
    const sentinel = join(dir, 'pwned')
    const words = hostile(sentinel)
    const recipe = [
      'name: q',
      'launcher: {type: slurm, nodes: 1}',
      `env: {NOTE: ${JSON.stringify(words[1])}}`,
      'steps:',
      `  - {name: echo, command: ${JSON.stringify(['bash', '-c', 'printf "%s\\0" "$@" "$NOTE"', 'argv0', ...words])}}`,
    ].join('\n')
    const p = await planFrom(dir, recipe)
    const script = join(dir, 'job.sbatch')
    await writeFile(script, p.sbatch?.text ?? '')
    expect(p.sbatch?.text).not.toContain('--gpus-per-node') // CPU-only: omitted when gpus_per_node is
    // `scontrol` (the head node lookup) is the only Slurm tool the body calls outside srun steps.
    const bin = join(dir, 'bin')
    await mkdir(bin)
    await writeFile(join(bin, 'scontrol'), '#!/bin/sh\necho node1\n')
    await chmod(join(bin, 'scontrol'), 0o755)
    const r = await execa('bash', [script], { env: { PATH: `${bin}:${process.env.PATH}`, SLURM_JOB_NODELIST: 'node1' } })
    expect(r.stdout.split('\0').slice(0, -1)).toEqual([...words, words[1]])
    expect(existsSync(sentinel)).toBe(false)
  })

  it.each([
    ['launcher.partition', 'launcher.partition="gpu\\ntouch SENTINEL\\n#"', ['launcher', 'partition']],
    ['launcher.sbatch_extra', 'launcher.sbatch_extra=["--exclusive", "--comment=x\\rtouch SENTINEL"]', ['launcher', 'sbatch_extra', 1]],
    ['launcher.job_name', 'launcher.job_name="j\\ntouch SENTINEL"', ['launcher', 'job_name']],
  ])('refuses a control character in %s (--set), and no script line creates the file', async (_name, set, path) => {
    const sentinel = join(dir, 'pwned')
    const recipe = ['name: q', 'launcher: {type: slurm, nodes: 1}', 'steps:', '  - {name: s, command: ["true"]}'].join('\n')
    const err = await planFrom(dir, recipe, [set.replace('SENTINEL', sentinel)]).then(() => null, (e: unknown) => e)
    expect(err).toMatchObject({ code: 'schema', path })
    expect(String((err as Error).message)).toMatch(/contains a control character \(U\+000[AD]\); a line break would end the #SBATCH line/)
    expect(existsSync(sentinel)).toBe(false)
  })

  it('through the CLI: `pixcap run --set` with a newline in the partition exits non-zero with a JSON error', async () => {
    const sentinel = join(dir, 'pwned')
    await writeFile(join(dir, 'r.yaml'), ['name: q', 'launcher: {type: slurm, nodes: 1}', 'steps:', '  - {name: s, command: ["true"]}'].join('\n'))
    const r = await execa('node', [join(REPO_ROOT, 'bin/pixcap.js'), 'run', join(dir, 'r.yaml'), '--set', `launcher.partition="gpu\\ntouch ${sentinel}\\n#"`, '--runs-dir', join(dir, 'runs'), '--json'], { cwd: dir, reject: false })
    expect(r.exitCode).not.toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false })
    expect(r.stdout).toContain('launcher.partition')
    expect(existsSync(sentinel)).toBe(false)
  })
})
