import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { interpolate, loadRecipe, parseOverride, setPath } from '../../src/recipes/load.js'
import { REPO_ROOT } from '../helpers/fixtures.js'

const RECIPES = ['smoke-cpu', 'gpt4roi-stage2-pix2cap', 'vg-region-caption-eval', 'vipbench-bbox-eval']

async function tmpRecipe(text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'pixcap-recipe-'))
  const f = join(dir, 'r.yaml')
  await writeFile(f, text)
  return f
}

describe('recipes', () => {
  it.each(RECIPES)('%s validates and is found by name', async (name) => {
    const { recipe, file } = await loadRecipe({ recipe: name, cwd: REPO_ROOT, env: {} })
    expect(recipe.name).toBe(name)
    expect(file).toBe(join(REPO_ROOT, 'recipes', `${name}.yaml`))
  })

  it('--set parses typed values with dotted keys, selecting list elements by name', async () => {
    expect(parseOverride('steps.train.config.steps=12')).toEqual({ path: ['steps', 'train', 'config', 'steps'], value: 12 })
    expect(parseOverride('a.b=true').value).toBe(true)
    expect(parseOverride('a=[1, 2]').value).toEqual([1, 2])
    expect(parseOverride('a=hello world').value).toBe('hello world')
    expect(parseOverride('a=2e-5').value).toBe(2e-5)
    expect(() => parseOverride('novalue')).toThrow('set expects key=value')
    const { recipe } = await loadRecipe({ recipe: 'smoke-cpu', cwd: REPO_ROOT, env: {}, set: ['steps.train.config.steps=12', 'vars.corpus=elsewhere', 'launcher.type=local'] })
    const step = recipe.steps[0]
    expect(step && 'config' in step ? step.config : null).toMatchObject({ steps: 12, corpus: 'elsewhere', lr: 0.003 })
  })

  it('setPath reports a missing list element', () => {
    expect(() => setPath({ steps: [{ name: 'a' }] }, ['steps', 'b', 'x'], 1, 'r.yaml')).toThrow('r.yaml: steps: --set steps.b.x: no list element named "b"')
  })

  it('interpolates keys, vars and env, keeping types for whole references', () => {
    const doc = { vars: { n: 3, dir: 'out' }, a: '${n}', b: '${dir}/x-${n}', c: '${HOME_X}', d: '${vars.dir}', e: '${run.artifacts}/p.jsonl' }
    expect(interpolate(doc, { HOME_X: '/home/x' }, 'r.yaml')).toEqual({ vars: { n: 3, dir: 'out' }, a: 3, b: 'out/x-3', c: '/home/x', d: 'out', e: '${run.artifacts}/p.jsonl' })
  })

  it('refuses to interpolate secrets, and reports unknown and circular references', () => {
    expect(() => interpolate({ a: '${HF_TOKEN}' }, { HF_TOKEN: 'hf_x' }, 'r.yaml')).toThrow('r.yaml: a: ${HF_TOKEN}: refusing to interpolate a secret variable')
    expect(() => interpolate({ a: 'x ${my_api_key}' }, { my_api_key: 'k' }, 'r.yaml')).toThrow('refusing to interpolate a secret variable')
    expect(() => interpolate({ a: '${nope}' }, {}, 'r.yaml')).toThrow('r.yaml: a: ${nope}: not a key of the recipe, not in vars, and not set in the environment')
    expect(() => interpolate({ a: '${b}', b: '${a}' }, {}, 'r.yaml')).toThrow('r.yaml: a: ${b}: circular reference (b -> a -> b)')
  })

  it('refuses secret names in recipe env and reports schema errors with the JSON path', async () => {
    const f = await tmpRecipe('name: x\nenv: {HF_TOKEN: abc}\nsteps: [{name: t, bridge: train}]\n')
    await expect(loadRecipe({ recipe: f, cwd: '/', env: {} })).rejects.toThrow(`${f}: env.HF_TOKEN: secret variables`)
    const g = await tmpRecipe('name: x\nlauncher: {type: torchrun}\nsteps: [{name: t, bridge: train}]\n')
    await expect(loadRecipe({ recipe: g, cwd: '/', env: {} })).rejects.toThrow(`${g}: launcher.nproc_per_node: Invalid input: expected number, received undefined`)
  })

  it('names the places it looked for a missing recipe', async () => {
    await expect(loadRecipe({ recipe: 'no-such-recipe', cwd: REPO_ROOT, env: {} })).rejects.toThrow('no-such-recipe: no such recipe: not a file, and no no-such-recipe.yaml in')
  })
})
