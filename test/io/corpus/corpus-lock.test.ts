// .pixcap-lock (issue 17, finding 1): a live writer is told from a dead one (exited, reaped or a zombie, or a reused
// pid with another start time); a lock of another host is never taken over; two writers never both hold a folder.
import { spawn } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { acquireCorpusLock, LOCK_FILE, writerState } from '../../../src/io/corpus/corpus-lock.js'
import { useTempDir } from '../../helpers/temp-dir.js'

let dir: string
useTempDir('pixcap-lock-', (d) => (dir = d), { each: true })

const myStart = async (): Promise<string> => (await readFile('/proc/self/stat', 'utf8')).split(') ')[1]!.split(' ')[19]!

describe('writerState', () => {
  it('this process is alive; with another start time its pid counts as reused (dead); another host is unknown', async () => {
    expect(await writerState({ pid: process.pid, host: hostname(), procStart: await myStart() })).toBe('alive')
    expect(await writerState({ pid: process.pid, host: hostname(), procStart: '1' })).toBe('dead')
    expect(await writerState({ pid: process.pid, host: 'elsewhere', procStart: null })).toBe('unknown')
  })

  it('a child that exited is dead; while it runs it is alive', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 5000)'], { stdio: 'ignore' })
    const pid = child.pid!
    expect(await writerState({ pid, host: hostname(), procStart: null })).toBe('alive')
    child.kill('SIGKILL')
    await new Promise((r) => child.on('exit', r))
    expect(await writerState({ pid, host: hostname(), procStart: null })).toBe('dead')
  })
})

describe('acquireCorpusLock', () => {
  it('creates the folder and the lock; a second writer is refused while the first holds it; release frees it', async () => {
    const out = join(dir, 'corpus')
    const first = await acquireCorpusLock(out, { command: 'convert', key: 'k' })
    expect(first.createdDir).toBe(true)
    expect(JSON.parse(await readFile(join(out, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid, host: hostname(), key: 'k' })
    await expect(acquireCorpusLock(out, { command: 'convert', key: 'k' })).rejects.toThrow(/another pixcap convert \(pid \d+ on host .*\) is writing this folder/)
    await first.lock.release()
    const second = await acquireCorpusLock(out, { command: 'convert', key: 'k' })
    expect(second.dead).toBeUndefined()
    await second.lock.release()
  })

  it('takes over a dead writer\'s lock, returns its journal, and can hand it back byte for byte', async () => {
    const text = `${JSON.stringify({ lockVersion: 1, command: 'convert', pid: 999_999, host: hostname(), procStart: null, startedAt: 't', key: 'old', removing: ['a'], committing: [], shards: [], batches: [] })}\n`
    await writeFile(join(dir, LOCK_FILE), text)
    const got = await acquireCorpusLock(dir, { command: 'convert', key: 'new' })
    expect(got.dead).toMatchObject({ pid: 999_999, key: 'old', removing: ['a'] })
    expect(JSON.parse(await readFile(join(dir, LOCK_FILE), 'utf8')).pid).toBe(process.pid)
    await got.lock.handBack()
    expect(await readFile(join(dir, LOCK_FILE), 'utf8')).toBe(text)
  })

  it('of two writers racing for one folder, exactly one gets it', async () => {
    const results = await Promise.allSettled([0, 1, 2].map(() => acquireCorpusLock(dir, { command: 'convert', key: 'k' })))
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
  })
})
