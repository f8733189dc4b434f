// Whole-process cases `version` and `help`: `pixcap --version` and `pixcap --help`, against Node starting and exiting
// with nothing to do (the floor any Node CLI pays). Target (issue 18): `pixcap --version` under 150 ms.
import { resolve, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { WholeProcessCase } from './case.js'

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)))

function startupCase(name: string, flag: string): WholeProcessCase {
  return {
    name,
    async prepare() {
      return {
        items: () => 1,
        unit: 'process',
        pixcap: { label: `pixcap ${flag}`, argv: [process.execPath, join(ROOT, 'bin/pixcap.js'), flag] },
        peers: [{ label: 'floor: node -e 0', argv: [process.execPath, '-e', '0'] }],
      }
    },
  }
}

export const versionCase = startupCase('version', '--version')
export const helpCase = startupCase('help', '--help')
