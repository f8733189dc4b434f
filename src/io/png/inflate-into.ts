// Inflates a raw deflate stream (RFC 1951) into a buffer the caller owns and reuses. node:zlib's public sync API
// (`inflateRawSync`) builds a new stream object and a new output buffer for every call; for the PQ evaluation
// (two 0.9 MB panoptic rows buffers per image pair, 10,000 per COCO val run) the fresh pages cost more than the
// inflate itself, and a second thread doing the same doubles it (page faults in one process contend). Measured on
// the bench set (`npm run bench -- --only pq`): 0.085 ms per 640x480 PNG into a reused buffer against 0.17-0.46 ms
// through inflateRawSync, and 13-32% less wall time for the whole evaluation.
//
// The reuse goes through the zlib engine's native handle (`_handle.writeSync` and `_writeState`, the two members
// Node's own zlibBufferSync uses; checked on Node 20, which pixcap targets). That is internal API, so it is guarded:
// - it is used only when both members have the expected shape (a few property checks on each call), else the call
//   takes the public inflateRawSync path, which gives the same bytes;
// - a zlib error closes the engine (Node's own error handler runs synchronously inside writeSync); it is detected
//   by `destroyed`, the engine is dropped and the call answers null, and the next call builds a fresh engine, so a
//   closed handle is never written to;
// - the result is accepted only when the stream ended inside the buffer (at least one byte of room left).
import zlib from 'node:zlib'

interface NativeZlibHandle {
  writeSync(flush: number, input: Uint8Array, inOff: number, inLen: number, out: Uint8Array, outOff: number, outLen: number): void
}
interface EngineInternals {
  _handle?: NativeZlibHandle | null
  _writeState?: Uint32Array
}

/** Which path `RawInflater` takes: the reused native handle, or the public API (also the forced choice in tests). */
export type InflatePath = 'native-handle' | 'public-api'

/** Reuses one zlib engine across calls; one per thread (not re-entrant, but every call is synchronous). */
export class RawInflater {
  private engine: zlib.InflateRaw | null = null
  private readonly force: InflatePath | undefined

  constructor(o: { path?: InflatePath } = {}) {
    this.force = o.path
  }

  /** The path the next call will take. */
  get path(): InflatePath {
    if (this.force === 'public-api') return 'public-api'
    return nativeHandle(this.ensureEngine()) ? 'native-handle' : 'public-api'
  }

  /**
   * Inflates all of `input` into `out` from byte 0; returns the length of the output, or null when the stream is
   * damaged, truncated, or inflates to `out.length` bytes or more (give `out` one spare byte to tell a full fit).
   * Bytes of `out` after the output may be overwritten too (zlib's fast copy loops use the room as scratch).
   */
  inflate(input: Uint8Array, out: Uint8Array): number | null {
    if (this.force === 'public-api') return inflatePublic(input, out)
    const engine = this.ensureEngine()
    const native = nativeHandle(engine)
    if (native === null) return inflatePublic(input, out)
    engine.reset()
    native.handle.writeSync(zlib.constants.Z_FINISH, input, 0, input.length, out, 0, out.length)
    if (engine.destroyed || (engine as unknown as EngineInternals)._handle !== native.handle) {
      this.engine = null // a data error closed it; Node emits the error event on the next tick (listened to below)
      return null
    }
    const room = native.state[0] as number // avail_out after the call
    return room === 0 ? null : out.length - room
  }

  private ensureEngine(): zlib.InflateRaw {
    if (this.engine === null || this.engine.destroyed) {
      const engine = zlib.createInflateRaw({ chunkSize: 64 })
      engine.on('error', () => {}) // the error was already answered with null
      this.engine = engine
    }
    return this.engine
  }
}

function nativeHandle(engine: zlib.InflateRaw): { handle: NativeZlibHandle; state: Uint32Array } | null {
  const e = engine as unknown as EngineInternals
  const handle = e._handle
  const state = e._writeState
  if (handle === null || handle === undefined || typeof handle.writeSync !== 'function') return null
  if (!(state instanceof Uint32Array) || state.length < 2) return null
  return { handle, state }
}

function inflatePublic(input: Uint8Array, out: Uint8Array): number | null {
  let raw: Buffer
  try {
    // maxOutputLength: a stream that overflows `out` stops early instead of growing without bound.
    raw = zlib.inflateRawSync(input, { chunkSize: Math.max(64, out.length), maxOutputLength: Math.max(1, out.length) })
  } catch {
    return null
  }
  if (raw.length >= out.length) return null
  out.set(raw, 0)
  return raw.length
}
