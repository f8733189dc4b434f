// The registry lists commands without loading them; each line must agree with the module it loads, and every command
// must describe its flags for --help (issue 10: help that people read).
import { describe, expect, it } from 'vitest'
import { renderCommandHelp } from '../../src/cli/command.js'
import { groupCommands } from '../../src/cli/main.js'
import { COMMANDS } from '../../src/cli/registry.js'

describe('command registry', () => {
  it.each(COMMANDS.map((c) => [c.name, c] as const))('%s: name and summary match its module; options list --json', async (_name, entry) => {
    const command = await entry.load()
    expect(command.name).toBe(entry.name)
    expect(command.summary).toBe(entry.summary)
    expect(command.options?.length ?? 0).toBeGreaterThan(0)
    expect(command.options?.map((o) => o.flag)).toContain('--json')
    for (const o of command.options ?? []) expect(o.description, `${entry.name} ${o.flag}`).not.toBe('')
    expect(renderCommandHelp(command)).toContain('Options:\n')
  })

  it('groups are the first words of multi-word commands', () => {
    expect(groupCommands('runs', COMMANDS).map((c) => c.name)).toEqual(['runs list', 'runs show', 'runs logs', 'runs cancel', 'runs compare', 'runs plot'])
    expect(groupCommands('convert', COMMANDS)).toEqual([])
  })
})
