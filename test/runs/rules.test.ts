// Project rules as tests: child processes get argv arrays (never a shell), and only run-writer/atomic writes touch run.json.
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { REPO_ROOT } from '../helpers/fixtures.js'

function sources(dir: string): string[] {
  return readdirSync(join(REPO_ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name))
}

const FILES = ['src/bridge', 'src/runs', 'src/recipes'].flatMap(sources)

describe('rules for bridge, runs and recipes', () => {
  it.each(FILES.map((f) => [f.slice(REPO_ROOT.length + 1), f]))('%s spawns no shell', (_name, file) => {
    const text = readFileSync(file, 'utf8')
    expect(text).not.toMatch(/shell:\s*true|execaCommand|\$`|child_process/)
  })

  it.each(FILES.map((f) => [f.slice(REPO_ROOT.length + 1), f]))('%s writes run.json only atomically', (_name, file) => {
    const text = readFileSync(file, 'utf8')
    expect(text).not.toMatch(/writeFile\(\s*[\w.]*runJson/)
  })
})
