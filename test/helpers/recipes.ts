// Recipes that point at fixture bridges (bridge.script) and the system python3, written into a temp dir.
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { stringify } from 'yaml'
import { bridge } from './bridges.js'

/** Writes a one-step fixture recipe; returns its path and a fresh runs dir beside it. */
export async function fixtureRecipe(script: string, o: { config?: Record<string, unknown>; datasets?: string[]; name?: string } = {}): Promise<{ file: string; dir: string; runsDir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'pixcap-run-'))
  const file = join(dir, `${o.name ?? script}.yaml`)
  const recipe = {
    name: o.name ?? `fixture-${script}`,
    python: 'python3',
    bridge: { script: bridge(script) },
    datasets: o.datasets ?? [],
    steps: [{ name: 'train', bridge: 'train', config: o.config ?? {} }],
  }
  await writeFile(file, stringify(recipe))
  return { file, dir, runsDir: join(dir, 'runs') }
}
