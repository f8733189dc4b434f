import { describe, expect, it } from 'vitest'
import { main, resolveCommand } from '../../src/cli/main.js'
import type { Command } from '../../src/cli/command.js'
import { captureIo } from '../helpers/io.js'

describe('cli main', () => {
  it('resolves the longest matching command', () => {
    const mk = (name: string): Command => ({ name, summary: '', usage: name, run: async () => 0 })
    const cmds = [mk('eval'), mk('eval captions'), mk('runs list')]
    expect(resolveCommand(['eval', 'captions', '--pred', 'x'], cmds)?.command.name).toBe('eval captions')
    expect(resolveCommand(['eval', 'other'], cmds)?.rest).toEqual(['other'])
    expect(resolveCommand(['nope'], cmds)).toBeNull()
  })

  it('reports unknown commands with exit code 2', async () => {
    const io = captureIo()
    expect(await main(['frobnicate'], io)).toBe(2)
    expect(io.err()).toContain('unknown command "frobnicate"')
  })

  it('prints the version', async () => {
    const io = captureIo()
    expect(await main(['version'], io)).toBe(0)
    expect(io.out()).toMatch(/^\d+\.\d+\.\d+\n$/)
  })
})
