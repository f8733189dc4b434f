// The split a source's records carry: the caller's choice, else what the file name says, else `train`.
import { basename } from 'node:path'

/** The split a file name suggests: `*_val*` -> val, `*_train*` -> train, else undefined. */
export function splitFromFileName(file: string): string | undefined {
  const name = basename(file).toLowerCase()
  if (/(^|[_.-])val/.test(name)) return 'val'
  if (/(^|[_.-])train/.test(name)) return 'train'
  return undefined
}

/** The split of a file with no split option and no split in its name: a corpus of one split is a training set. */
export const DEFAULT_SPLIT = 'train'

/** How a reader chose its split name. */
export type SplitSource = 'option' | 'file name' | 'default'

/** The split name: the `split` option, else the file name, else {@link DEFAULT_SPLIT}; with where it came from. */
export function chooseSplit(file: string, split?: string): { split: string; splitSource: SplitSource } {
  if (split !== undefined) return { split, splitSource: 'option' }
  const named = splitFromFileName(file)
  return named !== undefined ? { split: named, splitSource: 'file name' } : { split: DEFAULT_SPLIT, splitSource: 'default' }
}
