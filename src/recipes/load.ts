// Loads a recipe: YAML -> `--set` overrides -> `${var}` interpolation -> zod validation. Errors name the file and the
// JSON path (STYLE.md §5). Interpolation reads other keys of the recipe and the environment, but refuses secret
// variables: a recipe (and so run.json) must never carry a token.
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { isAbsolute, join, resolve } from 'node:path'
import { parse as parseYaml } from 'yaml'
import { type JsonPath, OptionError, PixcapError, toJsonPath } from '../errors.js'
import { PACKAGE_ROOT } from '../bridge/python.js'
import { isSecretName } from '../util/redact.js'
import { checkBridgeConfig } from './bridge-config.js'
import { Recipe, isBridgeStep } from './schema.js'

/** A recipe ready to plan, with where it came from. */
export interface LoadedRecipe {
  recipe: Recipe
  /** Absolute path of the YAML file. */
  file: string
}

/** Finds a recipe: an existing path, else `<name>.yaml` in ./recipes, else in the package's recipes/. */
function findRecipeFile(nameOrPath: string, cwd: string): string {
  const direct = resolve(cwd, nameOrPath)
  if (existsSync(direct) && (nameOrPath.endsWith('.yaml') || nameOrPath.endsWith('.yml') || nameOrPath.includes('/'))) return direct
  for (const dir of [join(cwd, 'recipes'), join(PACKAGE_ROOT, 'recipes')]) {
    for (const ext of ['.yaml', '.yml']) {
      const f = join(dir, nameOrPath.endsWith(ext) ? nameOrPath : `${nameOrPath}${ext}`)
      if (existsSync(f)) return f
    }
  }
  throw new PixcapError('not_found', nameOrPath, [], `no such recipe: not a file, and no ${nameOrPath}.yaml in ${join(cwd, 'recipes')} or ${join(PACKAGE_ROOT, 'recipes')}`)
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** The `name` of a list element (steps are addressed by name), or undefined. */
function nameOf(e: unknown): unknown {
  return isRecord(e) ? e.name : undefined
}

/** Parses `key.path=value` into a path and a typed value (YAML scalars: 40 -> number, true -> boolean, [a] -> list). */
export function parseOverride(text: string): { path: string[]; value: unknown } {
  const eq = text.indexOf('=')
  if (eq <= 0) throw new OptionError(`{set} expects key=value (dotted keys allowed, e.g. steps.train.config.lr=0.01), got "${text}"`)
  const key = text.slice(0, eq)
  const raw = text.slice(eq + 1)
  let value: unknown
  try {
    value = raw === '' ? '' : parseYaml(raw)
  } catch {
    value = raw
  }
  return { path: key.split('.'), value }
}

/**
 * Sets `value` at a dotted path, creating objects on the way. In a list, a numeric key is an index and any other key
 * selects the element whose `name` equals it (so `steps.train.config.lr` works).
 */
export function setPath(doc: Record<string, unknown>, path: readonly string[], value: unknown, file: string): void {
  let cur: unknown = doc
  for (let i = 0; i < path.length; i++) {
    const key = path[i] as string
    const last = i === path.length - 1
    const at = path.slice(0, i + 1)
    if (Array.isArray(cur)) {
      const idx = /^\d+$/.test(key) ? Number(key) : cur.findIndex((e) => nameOf(e) === key)
      if (idx < 0 || idx > cur.length) throw new PixcapError('schema', file, path.slice(0, i), `--set ${path.join('.')}: no list element named "${key}"`)
      if (last) cur[idx] = value
      else {
        if (typeof cur[idx] !== 'object' || cur[idx] === null) cur[idx] = {}
        cur = cur[idx]
      }
    } else if (isRecord(cur)) {
      const obj = cur
      if (last) obj[key] = value
      else {
        if (typeof obj[key] !== 'object' || obj[key] === null) obj[key] = {}
        cur = obj[key]
      }
    } else {
      throw new PixcapError('schema', file, at, `--set ${path.join('.')}: cannot descend into a ${typeof cur}`)
    }
  }
}

function getPath(doc: unknown, path: readonly string[]): { found: boolean; value: unknown } {
  let cur: unknown = doc
  for (const key of path) {
    if (Array.isArray(cur)) {
      const idx = /^\d+$/.test(key) ? Number(key) : cur.findIndex((e) => nameOf(e) === key)
      if (idx < 0 || idx >= cur.length) return { found: false, value: undefined }
      cur = cur[idx]
    } else if (isRecord(cur) && Object.hasOwn(cur, key)) {
      cur = cur[key]
    } else return { found: false, value: undefined }
  }
  return { found: true, value: cur }
}

const VAR = /\$\{([A-Za-z_][\w.-]*)\}/g
/** Placeholders the plan fills in: the run's directory, artifacts directory and id. */
const RUN_VAR = /^run\.(dir|artifacts|id)$/
const WHOLE_VAR = /^\$\{([A-Za-z_][\w.-]*)\}$/

/**
 * Replaces `${name}` in every string of `doc`: a dotted key of the recipe, else `vars.<name>`, else an environment
 * variable (never a secret one). A string that is exactly `${name}` takes the referenced value's type.
 */
export function interpolate(doc: unknown, env: Record<string, string | undefined>, file: string): unknown {
  const lookup = (name: string, at: JsonPath, stack: string[]): unknown => {
    if (RUN_VAR.test(name)) return `\${${name}}` // resolved by planRun once the run dir is known
    if (stack.includes(name)) throw new PixcapError('schema', file, at, `\${${name}}: circular reference (${[...stack, name].join(' -> ')})`)
    const keys = name.split('.')
    for (const candidate of [keys, ['vars', ...keys]]) {
      const hit = getPath(doc, candidate)
      if (hit.found) return walk(hit.value, at, [...stack, name])
    }
    if (isSecretName(name)) {
      throw new PixcapError('schema', file, at, `\${${name}}: refusing to interpolate a secret variable into a recipe (its value would be recorded); the bridge inherits the environment, read it there`)
    }
    const v = env[name]
    if (v === undefined) throw new PixcapError('schema', file, at, `\${${name}}: not a key of the recipe, not in vars, and not set in the environment`)
    return v
  }
  const walk = (value: unknown, at: JsonPath, stack: string[]): unknown => {
    if (typeof value === 'string') {
      const whole = WHOLE_VAR.exec(value)
      if (whole) return lookup(whole[1] as string, at, stack)
      return value.replace(VAR, (_m, name: string) => {
        const v = lookup(name, at, stack)
        if (typeof v === 'object' && v !== null) throw new PixcapError('schema', file, at, `\${${name}}: is a ${Array.isArray(v) ? 'list' : 'mapping'}, cannot be embedded in a string`)
        return String(v)
      })
    }
    if (Array.isArray(value)) return value.map((v, i) => walk(v, [...at, i], stack))
    if (typeof value === 'object' && value !== null) {
      const out: Record<string, unknown> = {}
      for (const [k, v] of Object.entries(value)) out[k] = walk(v, [...at, k], stack)
      return out
    }
    return value
  }
  return walk(doc, [], [])
}

/** Validates a recipe document; the first issues become one error naming file and JSON path. */
function validateRecipe(doc: unknown, file: string): Recipe {
  const parsed = Recipe.safeParse(doc)
  if (parsed.success) return parsed.data
  const issues = parsed.error.issues.slice(0, 5).map((i) => `${toJsonPath(i.path as JsonPath)}: ${i.message}`)
  const first = parsed.error.issues[0]
  throw new PixcapError('schema', file, (first?.path ?? []) as JsonPath, `${first?.message ?? 'invalid recipe'}${issues.length > 1 ? `\n  all issues:\n  ${issues.join('\n  ')}` : ''}`)
}

/** Options for loading a recipe. */
export interface LoadRecipeOptions {
  /** A path or a name in recipes/. */
  recipe: string
  /** `key=value` overrides, applied before interpolation. */
  set?: string[]
  cwd: string
  env: Record<string, string | undefined>
}

/** Keys a recipe has at its top level (the zod schema's shape). */
const RECIPE_KEYS = new Set(Object.keys(Recipe.shape))

/**
 * Where a `--set` lands: `name=value` for a name that is no top-level key but is one of the recipe's `vars` means
 * `vars.name` (what a user means by `--set corpus=...`); any other unknown top-level key is a usage error naming the
 * flag, not a schema error blamed on the recipe file.
 */
function overridePath(doc: Record<string, unknown>, path: string[], text: string): string[] {
  const head = path[0] as string
  if (RECIPE_KEYS.has(head)) return path
  const vars = isRecord(doc.vars) ? doc.vars : {}
  if (Object.hasOwn(vars, head)) return ['vars', ...path]
  const names = Object.keys(vars)
  throw new OptionError(`{set} ${text}: "${head}" is neither a recipe key (${[...RECIPE_KEYS].join(', ')}) nor one of its vars${names.length ? ` (${names.join(', ')})` : ''}; to add a variable, write {set} vars.${path.join('.')}=...`)
}

/** Loads, overrides, interpolates and validates a recipe. */
export async function loadRecipe(o: LoadRecipeOptions): Promise<LoadedRecipe> {
  const file = findRecipeFile(o.recipe, o.cwd)
  let doc: unknown
  try {
    doc = parseYaml(await readFile(file, 'utf8'))
  } catch (err) {
    throw new PixcapError('invalid_json', file, [], `not valid YAML: ${(err as Error).message}`)
  }
  if (!isRecord(doc)) throw new PixcapError('schema', file, [], 'expected a mapping at the top level')
  for (const s of o.set ?? []) {
    const { path, value } = parseOverride(s)
    setPath(doc, overridePath(doc, path, s), value, file)
  }
  for (const k of Object.keys(isRecord(doc.env) ? doc.env : {})) {
    if (isSecretName(k)) throw new PixcapError('schema', file, ['env', k], 'secret variables (names with TOKEN, KEY or SECRET) may not be set in a recipe; export them in the shell instead')
  }
  const recipe = validateRecipe(interpolate(doc, o.env, file), file)
  recipe.steps.forEach((step, i) => {
    if (isBridgeStep(step)) checkBridgeConfig(step.bridge, step.config, file, ['steps', i, 'config'])
  })
  return { recipe, file: isAbsolute(file) ? file : resolve(file) }
}
