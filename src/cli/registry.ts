// Every CLI verb, one line each. A new command is one file in commands/ plus one line here.
import type { Command } from './command.js'
import { doctorCommand } from './commands/doctor.js'
import { runCommand } from './commands/run.js'
import { runsCancelCommand, runsCompareCommand, runsListCommand, runsLogsCommand, runsPlotCommand, runsShowCommand } from './commands/runs.js'
import { versionCommand } from './commands/version.js'

export const COMMANDS: Command[] = [
  versionCommand,
  runCommand,
  runsListCommand,
  runsShowCommand,
  runsLogsCommand,
  runsCancelCommand,
  runsCompareCommand,
  runsPlotCommand,
  doctorCommand,
]
