// The events and options of the JSON object reader (json-array-stream.ts), in a file of their own so that its fast
// path (json-array-windows.ts) and the whole-file path (json-object-file.ts) share them without an import cycle.

/** What to do with a top-level member: stream its array elements, parse it whole, or skip it without parsing. */
export type MemberMode = 'elements' | 'value' | 'skip'

/**
 * One item from the stream. `element` carries an array element and its JSON path `[key, index]`; `byteOffset` is
 * where the value starts, absent when it came from a file parsed whole ({@link jsonObjectEvents}).
 */
export type JsonStreamEvent =
  | { kind: 'element'; key: string; index: number; value: unknown; byteOffset?: number }
  | { kind: 'value'; key: string; value: unknown; byteOffset?: number }
  | { kind: 'array_end'; key: string; count: number }
  | { kind: 'skipped'; key: string }

/** Options of streamJsonObject. */
export interface JsonStreamOptions {
  /** Called once per top-level key when it is reached; decides how the member is read. Default: skip. */
  mode: (key: string) => MemberMode
  /** Bytes per read; tests use tiny chunks to cross every boundary. Default 1 MiB. */
  chunkSize?: number
  /** Name used in errors; defaults to the path. */
  label?: string
  /** Called with the number of bytes read so far, once per chunk. */
  onBytes?: (bytesRead: number) => void
  /**
   * Window size of the fast path for arrays of objects (json-array-windows.ts); 0 scans every element byte by byte.
   * Default ARRAY_WINDOW_BYTES.
   */
  windowBytes?: number
}
