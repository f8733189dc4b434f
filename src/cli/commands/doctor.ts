import { runDoctor, renderDoctor } from '../../bridge/doctor.js'
import { type Command, parseCommandArgs, printJson } from '../command.js'

/** `pixcap doctor`: the Python side's health (python, torch, CUDA, GPUs, transformers, GPT4RoI import). */
export const doctorCommand: Command = {
  name: 'doctor',
  summary: 'check the Python bridge environment (python, torch, CUDA, GPUs, transformers, GPT4RoI)',
  usage: 'pixcap doctor [--python PATH] [--gpt4roi-home DIR] [--bridge-script FILE] [--json]',
  options: [
    { flag: '--python PATH', description: 'Python to check', default: '$PIXCAP_PYTHON, else .venv/bin/python, else python3' },
    { flag: '--gpt4roi-home DIR', description: 'GPT4RoI checkout to try importing', default: '$GPT4ROI_HOME' },
    { flag: '--bridge-script FILE', description: 'run this script instead of the bridge (tests)' },
    { flag: '--json', description: 'print the result (or the error) as JSON on stdout' },
  ],
  async run(rawArgs, io) {
    const { values } = parseCommandArgs(this, rawArgs, {
      options: { python: { type: 'string' }, 'gpt4roi-home': { type: 'string' }, 'bridge-script': { type: 'string' }, json: { type: 'boolean' } },
    })
    const report = await runDoctor({ env: io.env, cwd: io.cwd, python: values.python, gpt4roiHome: values['gpt4roi-home'], script: values['bridge-script'] })
    if (values.json) printJson(io, report)
    else io.stdout.write(renderDoctor(report))
    return report.ok ? 0 : 1
  },
}
