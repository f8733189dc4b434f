// Every CLI verb, one line each. A new command is one file in commands/ plus one line here.
import type { Command } from './command.js'
import { evalPanopticCommand } from './commands/eval-panoptic.js'
import { versionCommand } from './commands/version.js'
import { vipbenchGradeCommand, vipbenchPrepareCommand, vipbenchScoreCommand } from './commands/vipbench.js'
import { previewCommand } from './commands/preview.js'
import { statsCommand } from './commands/stats.js'
import { validateCommand } from './commands/validate.js'
import { templatesCheckCommand, templatesImportCommand } from './commands/templates.js'

export const COMMANDS: Command[] = [
  versionCommand,
  vipbenchPrepareCommand,
  vipbenchGradeCommand,
  vipbenchScoreCommand,
  statsCommand,
  previewCommand,
  validateCommand,
  templatesCheckCommand,
  templatesImportCommand,
  evalPanopticCommand,
]
