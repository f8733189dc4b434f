import { UsageError } from '../../errors.js'
import { previewImages } from '../../dataset/preview-images.js'
import { intFlag, parseCommandArgs, printJson, type Command } from '../command.js'
import { createProgressBar } from '../progress.js'
import { FROM_FLAG, FROM_OPTION, fromOption } from '../source-flag.js'

const usage = 'pixcap preview <annotations.json> [--from NAME] --images-dir D [--panoptic-dir D] [--image-id ID]... [--limit N (12)] --out DIR [--json]'

/** `pixcap preview`: draw regions (tinted masks, numbered boxes, categories) of some images to PNG. */
export const previewCommand: Command = {
  name: 'preview',
  summary: 'draw the regions of images (masks, boxes, labels) to PNG files',
  usage,
  options: [
    FROM_OPTION,
    { flag: '--images-dir D', description: 'photo folder (required)' },
    { flag: '--panoptic-dir D', description: 'panoptic PNG folder: masks are tinted', default: 'boxes only' },
    { flag: '--categories F', description: 'categories JSON replacing the file\'s own' },
    { flag: '--image-id ID', description: 'an image to draw (repeatable)', default: 'the first --limit images' },
    { flag: '--limit N', description: 'images drawn', default: '12' },
    { flag: '--out DIR', description: 'output folder for the PNGs (required)' },
    { flag: '--json', description: 'print the result (or the error) as JSON on stdout' },
  ],
  async run(rawArgs, io) {
    const { values, positionals } = parseCommandArgs(this, rawArgs, {
      allowPositionals: true,
      options: {
        ...FROM_FLAG,
        'images-dir': { type: 'string' }, 'panoptic-dir': { type: 'string' }, categories: { type: 'string' },
        'image-id': { type: 'string', multiple: true }, limit: { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean' },
      },
    })
    const annotations = positionals[0]
    if (!annotations || !values['images-dir'] || !values.out) throw new UsageError('an annotation file, --images-dir and --out are required', usage)
    const progress = createProgressBar(io, values.json === true)
    const { files } = await previewImages({
      annotations, imagesDir: values['images-dir'], out: values.out, onProgress: progress,
      ...fromOption(values.from, usage),
      ...(values['panoptic-dir'] ? { panopticDir: values['panoptic-dir'] } : {}),
      ...(values.categories ? { categories: values.categories } : {}),
      ...(values['image-id'] ? { imageIds: values['image-id'] } : {}),
      ...(values.limit ? { limit: intFlag('limit', values.limit, 12, usage) } : {}),
    })
    progress.finish()
    if (values.json) printJson(io, { ok: true, files })
    else io.stdout.write(`${files.map((f) => `wrote ${f}`).join('\n')}\n`)
    return 0
  },
}
