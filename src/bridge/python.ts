// Where the bridge lives and which Python runs it (the bridge contract): PIXCAP_PYTHON, else <repo>/.venv/bin/python
// when it exists, else python3 from PATH.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The pixcap package root (holds python-bridge/ and recipes/), from src/ or dist/ alike. */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url)).replace(/\/$/, '')

/** The folder put on PYTHONPATH so `-m pixcap_bridge` resolves. */
const BRIDGE_PYTHONPATH = join(PACKAGE_ROOT, 'python-bridge')

/** The bridge's Python module name. */
export const BRIDGE_MODULE = 'pixcap_bridge'

/** Resolves the python executable: an explicit choice, PIXCAP_PYTHON, the repo venv, or python3. */
export function resolvePython(env: Record<string, string | undefined>, explicit?: string | null): string {
  if (explicit) return explicit
  if (env.PIXCAP_PYTHON) return env.PIXCAP_PYTHON
  const venv = join(PACKAGE_ROOT, '.venv/bin/python')
  return existsSync(venv) ? venv : 'python3'
}

/** The env every bridge process gets on top of the inherited one (the bridge contract). */
export function bridgeEnv(): Record<string, string> {
  return { PYTHONPATH: BRIDGE_PYTHONPATH, PYTHONUNBUFFERED: '1' }
}
