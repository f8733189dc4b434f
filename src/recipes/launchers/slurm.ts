// Slurm: pixcap writes an sbatch script into the run dir (a file we own; every argument single-quoted) and submits it
// with `sbatch --parsable` through execa (argv, never a shell string). One `srun` task per node runs torchrun, whose
// c10d rendezvous uses the first host of $SLURM_JOB_NODELIST and $SLURM_JOB_ID as the rendezvous id.
import type { z } from 'zod'
import { execa } from 'execa'
import { PixcapError } from '../../errors.js'
import type { SlurmLauncher } from '../schema.js'

/** A script argument that is shell code of ours (a variable reference), not data to quote. */
export interface ShellRaw {
  raw: string
}

/**
 * Quotes one word for POSIX sh: safe characters as they are, anything else in single quotes (inside which newlines,
 * `$()`, backticks and double quotes are literal; a single quote is closed, escaped and reopened). The one quoting
 * function of the launchers: every word of the script body goes through it.
 */
export function shellQuote(word: string): string {
  if (word !== '' && /^[\w@%+=:,./-]+$/.test(word)) return word
  return `'${word.replace(/'/g, `'\\''`)}'`
}

function render(word: string | ShellRaw): string {
  return typeof word === 'string' ? shellQuote(word) : word.raw
}

/** The `srun torchrun ...` words for an entry; SLURM variables stay shell references. Pure. */
export function srunTorchrunWords(l: z.infer<typeof SlurmLauncher>, entry: readonly string[]): (string | ShellRaw)[] {
  return [
    'srun',
    { raw: '--nodes="$SLURM_NNODES"' },
    `--ntasks-per-node=${l.ntasks_per_node}`,
    l.torchrun,
    { raw: '--nnodes="$SLURM_NNODES"' },
    // No GPUs declared: one worker per task (CPU-only nodes).
    `--nproc_per_node=${l.gpus_per_node ?? 1}`,
    { raw: '--rdzv_id="$SLURM_JOB_ID"' },
    '--rdzv_backend=c10d',
    { raw: `--rdzv_endpoint="$head_node:${l.rdzv_port}"` },
    ...entry,
  ]
}

/** What goes into an sbatch script. */
export interface SbatchInput {
  launcher: z.infer<typeof SlurmLauncher>
  jobName: string
  cwd: string
  stdoutFile: string
  stderrFile: string
  env: Record<string, string>
  /** One command line per step, as words. */
  steps: { name: string; words: (string | ShellRaw)[] }[]
}

/**
 * One `#SBATCH` line. sbatch reads these lines itself (they are comments to bash, never shell-expanded), but a line
 * break ends the directive and the rest becomes a shell line of the script: values with a control character
 * (newline, CR, NUL, ...) are refused, naming the recipe key that carried them.
 */
function sbatchDirective(option: string, key: (string | number)[]): string {
  const bad = /[\u0000-\u001f\u007f]/.exec(option)
  if (bad) {
    const code = `U+${(bad[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`
    throw new PixcapError('schema', 'recipe', key, `${JSON.stringify(option)} contains a control character (${code}); a line break would end the #SBATCH line and start a shell command`)
  }
  return `#SBATCH ${option}`
}

/** Renders the sbatch script text. Pure; tests assert it. */
export function renderSbatch(i: SbatchInput): string {
  const l = i.launcher
  const sb = (opt: string, key: (string | number)[] = ['launcher']): string => sbatchDirective(opt, key)
  const lines = [
    '#!/bin/bash',
    '# Written by pixcap; submitted with `sbatch --parsable`.',
    sb(`--job-name=${shellQuote(i.jobName)}`, ['launcher', 'job_name']),
    sb(`--nodes=${l.nodes}`),
    sb(`--ntasks-per-node=${l.ntasks_per_node}`),
  ]
  // CPU-only clusters (and the one-node Slurm of the tests) have no GRES: the line is omitted with gpus_per_node.
  if (l.gpus_per_node !== undefined) lines.push(sb(`--gpus-per-node=${l.gpus_per_node}`))
  lines.push(sb(`--time=${l.time}`))
  if (l.cpus_per_task) lines.push(sb(`--cpus-per-task=${l.cpus_per_task}`))
  if (l.partition) lines.push(sb(`--partition=${shellQuote(l.partition)}`, ['launcher', 'partition']))
  if (l.account) lines.push(sb(`--account=${shellQuote(l.account)}`, ['launcher', 'account']))
  if (l.qos) lines.push(sb(`--qos=${shellQuote(l.qos)}`, ['launcher', 'qos']))
  if (l.mem) lines.push(sb(`--mem=${shellQuote(l.mem)}`, ['launcher', 'mem']))
  // #SBATCH lines are not shell-expanded: paths are written plainly, and must not contain spaces.
  for (const [opt, file] of [['--output', i.stdoutFile], ['--error', i.stderrFile]] as const) {
    if (/\s/.test(file)) throw new PixcapError('unsupported', file, [], `sbatch ${opt} path contains whitespace; choose a runs dir without spaces`)
    lines.push(sb(`${opt}=${file}`))
  }
  l.sbatch_extra.forEach((extra, n) => lines.push(sb(extra, ['launcher', 'sbatch_extra', n])))
  lines.push('', 'set -euo pipefail', `cd ${shellQuote(i.cwd)}`)
  for (const [k, v] of Object.entries(i.env)) {
    if (!/^[A-Za-z_]\w*$/.test(k)) throw new PixcapError('schema', 'recipe', ['env', k], 'not a valid environment variable name')
    lines.push(`export ${k}=${shellQuote(v)}`)
  }
  lines.push('head_node=$(scontrol show hostnames "$SLURM_JOB_NODELIST" | head -n 1)')
  for (const s of i.steps) lines.push('', `# step ${s.name}`, s.words.map(render).join(' '))
  return `${lines.join('\n')}\n`
}

/** True when `sbatch` can be found on PATH. */
export async function hasSbatch(env: Record<string, string | undefined>): Promise<boolean> {
  const r = await execa('sbatch', ['--version'], { env, reject: false, timeout: 10_000 })
  return r.exitCode === 0
}

/** Submits a script with `sbatch --parsable`; returns the job id (the part before `;cluster`). */
export async function submitSbatch(script: string, env: Record<string, string | undefined>): Promise<string> {
  const r = await execa('sbatch', ['--parsable', script], { env, reject: false, timeout: 60_000 })
  const id = String(r.stdout ?? '').trim().split(';')[0] ?? ''
  if (r.exitCode !== 0 || !/^\d+(_\d+)?$/.test(id)) {
    throw new PixcapError('run_failed', script, [], `sbatch --parsable failed (exit code ${r.exitCode ?? 'none'}): ${String(r.stderr ?? '').trim() || String(r.stdout ?? '').trim() || r.message}`)
  }
  return id
}

/** Cancels a Slurm job with `scancel <id>`. */
export async function cancelSlurmJob(jobId: string, env: Record<string, string | undefined>): Promise<void> {
  const r = await execa('scancel', [jobId], { env, reject: false, timeout: 60_000 })
  if (r.exitCode !== 0) throw new PixcapError('run_failed', `slurm job ${jobId}`, [], `scancel failed (exit code ${r.exitCode ?? 'none'}): ${String(r.stderr ?? '').trim() || r.message}`)
}
