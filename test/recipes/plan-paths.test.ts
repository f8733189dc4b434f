// A recipe's `stdout:` and `outputs:` resolve inside the run's artifacts dir or are refused (issue 17, finding 4).
import { writeFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { execa } from 'execa'
import { describe, expect, it } from 'vitest'
import { loadRecipe } from '../../src/recipes/load.js'
import { planRun } from '../../src/recipes/plan.js'
import { REPO_ROOT } from '../helpers/fixtures.js'
import { useTempDir } from '../helpers/temp-dir.js'

let dir: string
useTempDir('pixcap-plan-paths-', (d) => (dir = d), { each: true })

async function planStep(step: string) {
  const file = join(dir, 'r.yaml')
  await writeFile(file, `name: p\nsteps:\n  - ${step}\n`)
  const loaded = await loadRecipe({ recipe: file, cwd: dir, env: {} })
  return planRun({ recipe: loaded.recipe, recipeFile: loaded.file, runId: 'RID', runDir: join(dir, 'runs/RID'), cwd: dir, python: 'python3', bridgeEnv: {}, pixcapArgv: ['node', 'pixcap.js'] })
}

describe('recipe output paths', () => {
  it.each([
    ['stdout', '{name: s, command: ["echo", "hi"], stdout: "../../../../x"}', ['steps', 0, 'stdout'], 'escapes its root directory'],
    ['stdout (absolute)', '{name: s, command: ["echo", "hi"], stdout: "/tmp/x"}', ['steps', 0, 'stdout'], 'is absolute'],
    ['outputs', '{name: s, command: ["true"], outputs: ["ok.json", "../x"]}', ['steps', 0, 'outputs', 1], 'escapes its root directory'],
    ['bridge outputs', '{name: t, bridge: train, outputs: ["a/../../../x"]}', ['steps', 0, 'outputs', 0], 'escapes its root directory'],
  ])('refuses a %s path outside the run folder', async (_n, step, path, why) => {
    const err = await planStep(step).then(() => null, (e: unknown) => e)
    expect(err).toMatchObject({ code: 'path_escape', path })
    expect(String((err as Error).message)).toContain(why)
  })

  it('keeps paths inside the artifacts dir', async () => {
    const p = await planStep('{name: s, command: ["echo"], stdout: "sub/../out.txt", outputs: ["a/b.json"]}')
    expect(p.steps[0]).toMatchObject({ stdoutFile: join(dir, 'runs/RID/artifacts/out.txt'), expectedOutputs: [join(dir, 'runs/RID/artifacts/a/b.json')] })
  })

  it('through the CLI: nothing is written outside the run folder and the error names the recipe key', async () => {
    await writeFile(join(dir, 'r.yaml'), 'name: p\nsteps:\n  - {name: s, command: ["echo", "hi"], stdout: "../../../escaped.txt"}\n')
    const r = await execa('node', [join(REPO_ROOT, 'bin/pixcap.js'), 'run', join(dir, 'r.yaml'), '--runs-dir', join(dir, 'a/b/runs'), '--json'], { cwd: dir, reject: false })
    expect(r.exitCode).not.toBe(0)
    expect(r.stdout).toContain('steps[0].stdout')
    expect(existsSync(join(dir, 'escaped.txt'))).toBe(false)
    expect(existsSync(join(dir, 'a/escaped.txt'))).toBe(false)
  })
})
