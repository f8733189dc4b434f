// The Python the peers run: PIXCAP_PYTHON, else the project venv (scripts/setup-python.sh), else python3 on PATH.
import { existsSync } from 'node:fs'
import { join } from 'node:path'

export function benchPython(root: string): string {
  const venv = join(root, '.venv/bin/python')
  return process.env.PIXCAP_PYTHON ?? (existsSync(venv) ? venv : 'python3')
}
