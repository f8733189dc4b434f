import { readFile } from 'node:fs/promises'
import type { Command } from '../command.js'

/** `pixcap version`: prints the package version. */
export const versionCommand: Command = {
  name: 'version',
  summary: 'print the pixcap version',
  usage: 'pixcap version',
  async run(_rawArgs, io) {
    const pkg = JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: unknown }
    io.stdout.write(`${String(pkg.version)}\n`)
    return 0
  },
}
