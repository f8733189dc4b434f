// Errors are data with a path; the message is derived from the fields (STYLE.md §5).
// pix2cap_val.json: annotations[12].segments_info[3].bbox: expected 4 numbers, got 3

/** A JSON path as a list of keys and indices, e.g. ['annotations', 12, 'bbox']. */
export type JsonPath = readonly (string | number)[]

/** Renders a JSON path the way a user would write it: `annotations[12].segments_info[3].bbox`. */
export function toJsonPath(path: JsonPath): string {
  let out = ''
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`
    else if (/^[A-Za-z_$][\w$]*$/.test(key)) out += out === '' ? key : `.${key}`
    else out += `[${JSON.stringify(key)}]`
  }
  return out === '' ? '(root)' : out
}

/** Machine-readable error codes; the CLI maps them to exit codes and `--json` output. */
export type PixcapErrorCode =
  | 'invalid_json'
  | 'schema'
  | 'io'
  | 'path_escape'
  | 'mask_mismatch'
  | 'invariant'
  | 'protocol'
  | 'run_failed'
  | 'not_found'
  | 'unsupported'

/** An error tied to a file and a JSON path inside it. */
export class PixcapError extends Error {
  constructor(
    readonly code: PixcapErrorCode,
    readonly file: string,
    readonly path: JsonPath,
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(path.length > 0 ? `${file}: ${toJsonPath(path)}: ${detail}` : `${file}: ${detail}`, options)
    this.name = 'PixcapError'
  }

  /** Plain object for `--json` output and reports. */
  toJSON(): { code: PixcapErrorCode; file: string; path: string; detail: string; message: string } {
    return { code: this.code, file: this.file, path: toJsonPath(this.path), detail: this.detail, message: this.message }
  }
}

/** Bad command-line usage: the CLI prints the message and the command's usage, exit code 2. */
export class UsageError extends Error {
  constructor(message: string, readonly usage?: string) {
    super(message)
    this.name = 'UsageError'
  }
}

/**
 * A library option with a bad value or a missing partner. The message names options as the library call spells them
 * (`panopticDir`, `shard.count`); `options` lists every name the message uses, so the CLI can show its own flags
 * (`--panoptic-dir`, `--num-shards`) instead: flag names live only in cli/.
 */
export class OptionError extends UsageError {
  constructor(readonly options: readonly string[], message: string) {
    super(message)
    this.name = 'OptionError'
  }
}
