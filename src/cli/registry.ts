// Every CLI verb, one line each. A new command is one file in commands/ plus one line here.
import type { Command } from './command.js'
import { evalCaptionsCommand } from './commands/eval-captions.js'
import { evalVgPrepareCommand, evalVgScoreCommand } from './commands/eval-vg.js'
import { versionCommand } from './commands/version.js'

export const COMMANDS: Command[] = [
  versionCommand,
  evalCaptionsCommand,
  evalVgPrepareCommand,
  evalVgScoreCommand,
]
