// Every CLI verb, one line each. A new command is one file in commands/ plus one line here.
import type { Command } from './command.js'
import { evalPanopticCommand } from './commands/eval-panoptic.js'
import { doctorCommand } from './commands/doctor.js'
import { runCommand } from './commands/run.js'
import { runsCancelCommand, runsCompareCommand, runsListCommand, runsLogsCommand, runsPlotCommand, runsShowCommand } from './commands/runs.js'
import { versionCommand } from './commands/version.js'
import { vipbenchGradeCommand, vipbenchPrepareCommand, vipbenchScoreCommand } from './commands/vipbench.js'
import { previewCommand } from './commands/preview.js'
import { statsCommand } from './commands/stats.js'
import { convertCommand } from './commands/convert.js'
import { mergeManifestsCommand } from './commands/merge-manifests.js'
import { demoCommand } from './commands/demo.js'
import { validateCommand } from './commands/validate.js'
import { templatesCheckCommand, templatesImportCommand } from './commands/templates.js'

export const COMMANDS: Command[] = [
  versionCommand,
  vipbenchPrepareCommand,
  vipbenchGradeCommand,
  vipbenchScoreCommand,
  statsCommand,
  previewCommand,
  convertCommand,
  mergeManifestsCommand,
  demoCommand,
  validateCommand,
  templatesCheckCommand,
  templatesImportCommand,
  evalPanopticCommand,
  runCommand,
  runsListCommand,
  runsShowCommand,
  runsLogsCommand,
  runsCancelCommand,
  runsCompareCommand,
  runsPlotCommand,
  doctorCommand,
]
