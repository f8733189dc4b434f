// Every CLI verb, one line each. A new command is one file in commands/ plus one line here.
import type { Command } from './command.js'
import { evalPanopticCommand } from './commands/eval-panoptic.js'
import { doctorCommand } from './commands/doctor.js'
import { runCommand } from './commands/run.js'
import { runsCancelCommand, runsCompareCommand, runsListCommand, runsLogsCommand, runsPlotCommand, runsShowCommand } from './commands/runs.js'
import { evalCaptionsCommand } from './commands/eval-captions.js'
import { evalVgPrepareCommand, evalVgScoreCommand } from './commands/eval-vg.js'
import { versionCommand } from './commands/version.js'
import { vipbenchGradeCommand, vipbenchPrepareCommand, vipbenchScoreCommand } from './commands/vipbench.js'
import { previewCommand } from './commands/preview.js'
import { statsCommand } from './commands/stats.js'
import { convertCommand } from './commands/convert.js'
import { mergeManifestsCommand } from './commands/merge-manifests.js'
import { demoCommand } from './commands/demo.js'
import { validateCommand } from './commands/validate.js'
import { templatesCheckCommand, templatesImportCommand } from './commands/templates.js'
import { viewCommand } from './commands/view.js'

export const COMMANDS: Command[] = [
  validateCommand,
  statsCommand,
  previewCommand,
  convertCommand,
  mergeManifestsCommand,
  templatesCheckCommand,
  templatesImportCommand,
  demoCommand,
  evalCaptionsCommand,
  evalVgPrepareCommand,
  evalVgScoreCommand,
  evalPanopticCommand,
  vipbenchPrepareCommand,
  vipbenchGradeCommand,
  vipbenchScoreCommand,
  runCommand,
  runsListCommand,
  runsShowCommand,
  runsLogsCommand,
  runsCancelCommand,
  runsCompareCommand,
  runsPlotCommand,
  doctorCommand,
  viewCommand,
  versionCommand,
]
