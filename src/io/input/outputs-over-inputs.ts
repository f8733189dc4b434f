// Outputs never overwrite an input (issue 17, finding 2): an annotations file named rejects.jsonl or manifest.json
// inside --out was replaced without a word, and --overwrite would have deleted it. Before anything is written or
// removed, every input is compared with every output location by real path (so a symlink on either side cannot hide
// the overlap), and an overlap is an error naming the input.
import { realpath } from 'node:fs/promises'
import { basename, dirname, join, relative, sep } from 'node:path'
import { PixcapError } from '../../errors.js'

/** An input of a command: a file it reads, or a folder it reads files from. */
export interface InputLocation {
  /** How the command's help names it ("the Pix2Cap-COCO annotations JSON"). */
  role: string
  path: string
  kind: 'file' | 'dir'
}

/** Where a command writes, relative to `root`: exact files, and folders it writes anything into. */
export interface OutputLocations {
  root: string
  files: readonly string[]
  dirs: readonly string[]
}

/** The real path of `p`, or, when it does not exist yet, the real path of its nearest existing ancestor plus the rest. */
export async function plannedRealPath(p: string): Promise<string> {
  try {
    return await realpath(p)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw err
    const parent = dirname(p)
    if (parent === p) return p
    return join(await plannedRealPath(parent), basename(p))
  }
}

const inside = (child: string, parent: string): boolean => {
  const rel = relative(parent, child)
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !rel.startsWith('/'))
}

/**
 * Throws PixcapError('io') naming the first input that an output would overwrite: an input file that is an output
 * file or lies in an output folder, or an input folder inside an output folder. Nothing is written or removed.
 */
export async function refuseOutputsOverInputs(inputs: readonly InputLocation[], out: OutputLocations): Promise<void> {
  const files = await Promise.all(out.files.map(async (rel) => ({ rel, real: await plannedRealPath(join(out.root, rel)) })))
  const dirs = await Promise.all(out.dirs.map(async (rel) => ({ rel, real: await plannedRealPath(join(out.root, rel)) })))
  for (const input of inputs) {
    const real = await plannedRealPath(input.path)
    const hit =
      (input.kind === 'file' ? files.find((f) => f.real === real) : undefined) ?? dirs.find((d) => inside(real, d.real))
    if (!hit) continue
    const what = files.includes(hit as (typeof files)[number]) ? `the output file ${hit.rel}` : `the output folder ${hit.rel}/`
    const via = real !== input.path ? ` (${real})` : ''
    throw new PixcapError(
      'io', input.path, [],
      `${input.role}${via} is ${what} of the corpus in ${out.root}: writing it would overwrite the input, so nothing was written; ` +
        'move the input out of the way or choose another --out',
    )
  }
}
