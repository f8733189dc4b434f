import { readFile } from 'node:fs/promises'
import { parseCommandArgs, printJson, type Command } from '../command.js'

/** `pixcap version` (also `pixcap --version`): prints the package version. */
export const versionCommand: Command = {
  name: 'version',
  summary: 'print the pixcap version',
  usage: 'pixcap version [--json]   (also: pixcap --version)',
  options: [{ flag: '--json', description: 'print { "version": ... } as JSON' }],
  async run(rawArgs, io) {
    const { values } = parseCommandArgs(this, rawArgs, { options: { json: { type: 'boolean' } } })
    const pkg = JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: unknown }
    if (values.json) printJson(io, { ok: true, version: String(pkg.version) })
    else io.stdout.write(`${String(pkg.version)}\n`)
    return 0
  },
}
