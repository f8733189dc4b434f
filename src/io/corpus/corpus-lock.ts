// `.pixcap-lock`: marks a corpus folder that a conversion is writing (issue 17, finding 1). It names the writer (pid,
// host, process start time) so that a later run can tell a live writer (refused) from a dead one (its leftovers are
// swept, or its finished shards resumed), and it journals what the writer is doing at each moment:
//   removing    files of the previous corpus being removed (--overwrite; the old manifest goes first)
//   shards      finished shards still under their `.incomplete` names, with size and sha256 (what --resume keeps)
//   batches     the Arrow batch sizes up to the end of the last finished shard (the shard plan is recomputed from them)
//   committing  final names being renamed into place at the end, so a crash between renames can be cleaned up
// The lock is created exclusively (O_EXCL), rewritten atomically (temp + rename) and removed after manifest.json.
import { mkdir, open, readFile, rm, stat } from 'node:fs/promises'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { z } from 'zod'
import { PixcapError } from '../../errors.js'
import { writeFileAtomic } from '../../util/atomic-write.js'
import { validateJson } from '../input/read-json.js'

/** The lock's file name inside a corpus folder. */
export const LOCK_FILE = '.pixcap-lock'

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/)

/** One finished file of a shard, still under its temporary name (corpus-relative). */
const JournaledFile = z.object({ format: z.string(), tmp: z.string(), rows: z.number().int().nonnegative(), bytes: z.number().int().nonnegative(), sha256: Sha256 })
type JournaledFile = z.infer<typeof JournaledFile>

/** A finished shard: its rows, its number of Arrow batches, and one file per batch format. */
export const JournaledShard = z.object({ rows: z.number().int().nonnegative(), batches: z.number().int().nonnegative(), files: z.array(JournaledFile) })
export type JournaledShard = z.infer<typeof JournaledShard>

export const CorpusLockRecord = z.object({
  lockVersion: z.literal(1),
  command: z.string(),
  pid: z.number().int().nonnegative(),
  host: z.string(),
  /** /proc/<pid>/stat start time (clock ticks since boot) where Linux has it: a reused pid is not mistaken for the writer. */
  procStart: z.string().nullable(),
  startedAt: z.string(),
  /** sha256 of everything that shapes the output (inputs by content, format, options, seed, pixcap version). */
  key: z.string(),
  removing: z.array(z.string()),
  committing: z.array(z.string()),
  shards: z.array(JournaledShard),
  batches: z.array(z.object({ rows: z.number().int().nonnegative(), bytes: z.number().int().nonnegative() })),
})
export type CorpusLockRecord = z.infer<typeof CorpusLockRecord>

/** Field 22 of /proc/<pid>/stat (start time) and field 3 (state), or undefined off Linux / when the pid is gone. */
async function procStat(pid: number): Promise<{ start: string; state: string } | undefined> {
  try {
    const text = await readFile(`/proc/${pid}/stat`, 'utf8')
    // The command name (field 2) is in parentheses and may hold spaces: split after the last ')'.
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ')
    return { state: rest[0]!, start: rest[19]! }
  } catch {
    return undefined
  }
}

/** Whether the writer a lock names still runs: 'alive', 'dead', or 'unknown' (another host). */
export async function writerState(lock: Pick<CorpusLockRecord, 'pid' | 'host' | 'procStart'>): Promise<'alive' | 'dead' | 'unknown'> {
  if (lock.host !== hostname()) return 'unknown'
  try {
    process.kill(lock.pid, 0)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return 'dead'
  }
  const stat = await procStat(lock.pid)
  if (stat === undefined) return process.platform === 'linux' ? 'dead' : 'alive'
  if (stat.state === 'Z' || stat.state === 'X') return 'dead' // killed, not yet reaped by its parent
  if (lock.procStart !== null && stat.start !== lock.procStart) return 'dead' // the pid was reused
  return 'alive'
}

/** A lock this process holds. */
export interface HeldCorpusLock {
  readonly path: string
  readonly record: Readonly<CorpusLockRecord>
  /** Rewrites the lock atomically with `patch` applied. */
  update(patch: Partial<Pick<CorpusLockRecord, 'removing' | 'committing' | 'shards' | 'batches'>>): Promise<void>
  /** Removes the lock (after the manifest, or after a failure has cleaned up). */
  release(): Promise<void>
  /**
   * Puts a dead writer's record back in place of ours (when this run stops before writing anything, e.g. because
   * the leftovers need --resume or --overwrite), so that its journal is not lost.
   */
  handBack(): Promise<void>
}

/** What {@link acquireCorpusLock} found and did. */
export interface AcquiredCorpusLock {
  lock: HeldCorpusLock
  /** The lock of a writer that died while writing this folder, if there was one (replaced by ours). */
  dead?: CorpusLockRecord
  /** The folder did not exist and was created for the lock (a caller that fails before writing removes it). */
  createdDir: boolean
}

/** A lock file that exists but holds no complete record (its writer died between creating and writing it). */
const PARTIAL = Symbol('partial lock')

async function readLock(path: string): Promise<CorpusLockRecord | typeof PARTIAL | undefined> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
  if (text.trim() === '') return PARTIAL
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    throw new PixcapError('invalid_json', path, [], `not valid JSON (${(err as Error).message}); if no pixcap is writing this folder, delete the file`)
  }
  return validateJson(CorpusLockRecord, value, path)
}

/**
 * Takes `<outDir>/.pixcap-lock` (creating outDir). A live writer's lock is an error naming it; a lock on another host
 * is an error too (its liveness cannot be checked from here); a dead writer's lock is returned as `dead` and replaced.
 */
export async function acquireCorpusLock(outDir: string, o: { command: string; key: string }): Promise<AcquiredCorpusLock> {
  const path = join(outDir, LOCK_FILE)
  const existing = await stat(outDir).catch(() => undefined)
  if (existing && !existing.isDirectory()) throw new PixcapError('io', outDir, [], 'the output path exists and is not a folder')
  const createdDir = (await mkdir(outDir, { recursive: true })) !== undefined
  const me = await procStat(process.pid)
  let record: CorpusLockRecord = {
    lockVersion: 1,
    command: o.command,
    pid: process.pid,
    host: hostname(),
    procStart: me?.start ?? null,
    startedAt: new Date().toISOString(),
    key: o.key,
    removing: [],
    committing: [],
    shards: [],
    batches: [],
  }
  let dead: CorpusLockRecord | undefined
  let deadText: string | undefined // its bytes, put back unchanged by handBack
  for (let attempt = 0; ; attempt++) {
    try {
      const fh = await open(path, 'wx')
      try {
        await fh.writeFile(`${JSON.stringify(record, null, 2)}\n`)
        await fh.sync()
      } finally {
        await fh.close()
      }
      break
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 2) throw err
    }
    let other = await readLock(path)
    if (other === undefined) continue // removed meanwhile: try again
    if (other === PARTIAL) {
      // Its writer writes the record right after creating the file: give a live one a moment.
      await new Promise((r) => setTimeout(r, 250))
      other = await readLock(path)
      if (other === undefined) continue
      if (other === PARTIAL) other = { ...record, command: 'convert', pid: 0, key: '', startedAt: '?' }
    }
    const state = other.pid === 0 ? 'dead' : await writerState(other)
    if (state !== 'dead') {
      const who = `pid ${other.pid} on host ${other.host || '?'}, started ${other.startedAt || '?'}`
      throw new PixcapError(
        'io', path, [],
        state === 'alive'
          ? `another pixcap ${other.command} (${who}) is writing this folder; wait for it to end, or choose another --out`
          : `a pixcap ${other.command} (${who}) holds this folder; this host cannot check whether it still runs. If it is gone, delete ${LOCK_FILE} and run again with --resume or --overwrite`,
      )
    }
    if (!dead) {
      dead = other
      deadText = await readFile(path, 'utf8').catch(() => undefined)
    }
    await rm(path, { force: true })
  }
  let released = false
  const lock: HeldCorpusLock = {
    path,
    get record() {
      return record
    },
    async update(patch) {
      if (released) throw new Error(`${path}: the lock was already released`)
      record = { ...record, ...patch }
      await writeFileAtomic(path, `${JSON.stringify(record, null, 2)}\n`)
    },
    async release() {
      if (released) return
      released = true
      await rm(path, { force: true })
    },
    async handBack() {
      if (released) return
      released = true
      if (deadText === undefined) await rm(path, { force: true })
      else await writeFileAtomic(path, deadText)
    },
  }
  return { lock, createdDir, ...(dead ? { dead } : {}) }
}
