// Project rules as tests (STYLE.md §15): pure modules stay pure.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { REPO_ROOT } from './helpers/fixtures.js'

function sources(dir: string): string[] {
  let out: string[] = []
  let entries: string[]
  try {
    entries = readdirSync(dir)
  } catch {
    return out
  }
  for (const name of entries) {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) out = out.concat(sources(p))
    else if (/\.(ts|js|mts|cts)$/.test(name)) out.push(p)
  }
  return out
}

/** Module specifiers a file imports, re-exports or loads dynamically. */
function importsOf(code: string): string[] {
  const specs: string[] = []
  const re = /\b(?:import|export)\s[^'"]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)|\bimport\s+['"]([^'"]+)['"]|\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g
  for (const m of code.matchAll(re)) specs.push((m[1] ?? m[2] ?? m[3] ?? m[4]) as string)
  return specs
}

const FORBIDDEN = /^(node:)?fs(\/promises)?$|^sharp$/

describe('pure modules', () => {
  it('the import scanner sees every import form it is meant to catch', () => {
    const code = `import { readFile } from 'node:fs/promises'\nimport sharp from "sharp"\nexport * from 'fs'\nconst x = await import('node:fs')\nimport 'sharp'\nrequire('fs')`
    expect(importsOf(code).filter((s) => FORBIDDEN.test(s))).toHaveLength(6)
  })

  it.each(['src/geometry', 'src/metrics'])('nothing in %s imports node:fs, fs or sharp', (dir) => {
    const offenders: string[] = []
    for (const file of sources(join(REPO_ROOT, dir))) {
      for (const spec of importsOf(readFileSync(file, 'utf8'))) {
        if (FORBIDDEN.test(spec)) offenders.push(`${relative(REPO_ROOT, file)} imports ${spec}`)
      }
    }
    expect(offenders).toEqual([])
  })

  it('src/geometry exists and is scanned', () => {
    expect(sources(join(REPO_ROOT, 'src/geometry')).length).toBeGreaterThan(3)
  })
})
