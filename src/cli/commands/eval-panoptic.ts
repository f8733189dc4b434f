import { availableParallelism } from 'node:os'
import { resolve } from 'node:path'
import { UsageError } from '../../errors.js'
import { evalPanopticCaptions } from '../../eval/panoptic-captions.js'
import { evalPanoptic } from '../../eval/panoptic-eval.js'
import { renderPanopticReport } from '../../eval/panoptic-report.js'
import { intFlag, parseCommandArgs, printJson, type Command } from '../command.js'
import { createProgressBar } from '../progress.js'

const usage = 'pixcap eval panoptic --gt-json F --gt-dir D --pred-json F --pred-dir D [--workers N] [--captions] [--json]'

/** `pixcap eval panoptic`: PQ like panopticapi (+ Pix2Cap caption scores with --captions). */
export const evalPanopticCommand: Command = {
  name: 'eval panoptic',
  summary: 'panoptic quality (panopticapi rules), optionally Pix2Cap caption scores and dense mAP',
  usage,
  options: [
    { flag: '--gt-json F', description: 'ground-truth panoptic JSON (required)' },
    { flag: '--gt-dir D', description: 'ground-truth PNG folder (required)' },
    { flag: '--pred-json F', description: 'predicted panoptic JSON (required)' },
    { flag: '--pred-dir D', description: 'predicted PNG folder (required)' },
    { flag: '--workers N', description: 'worker threads (0: in-process)', default: 'CPU count' },
    { flag: '--captions', description: 'also score Pix2Cap captions and dense mAP' },
    { flag: '--json', description: 'print the result (or the error) as JSON on stdout' },
  ],
  async run(rawArgs, io) {
    const { values } = parseCommandArgs(this, rawArgs, {
      options: {
        'gt-json': { type: 'string' },
        'gt-dir': { type: 'string' },
        'pred-json': { type: 'string' },
        'pred-dir': { type: 'string' },
        workers: { type: 'string' },
        captions: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
      },
    })
    const need = (k: 'gt-json' | 'gt-dir' | 'pred-json' | 'pred-dir'): string => {
      const v = values[k]
      if (v === undefined) throw new UsageError(`pixcap eval panoptic: --${k} is required`, usage)
      return resolve(io.cwd, v)
    }
    const workers = intFlag('workers', values.workers, availableParallelism(), usage)
    if (workers < 0) throw new UsageError(`--workers expects an integer >= 0, got ${workers}`, usage)
    const progress = createProgressBar(io, values.json === true)
    const o = {
      gtJson: need('gt-json'), gtDir: need('gt-dir'), predJson: need('pred-json'), predDir: need('pred-dir'),
      workers, onProgress: progress, ...(io.signal ? { signal: io.signal } : {}),
    }
    const result = values.captions ? await evalPanopticCaptions(o) : await evalPanoptic(o)
    progress.finish()
    if (values.json) printJson(io, { ok: true, ...result })
    else io.stdout.write(renderPanopticReport(result))
    return 0
  },
}
