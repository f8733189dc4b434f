import { resolve } from 'node:path'
import { UsageError } from '../../errors.js'
import { DEFAULT_HUB_URL, publishDataset, type PublishResult } from '../../hub/publish.js'
import { requireHubToken } from '../../hub/token.js'
import { parseCommandArgs, printJson, type Command } from '../command.js'
import { createProgressBar } from '../progress.js'

const usage = 'pixcap publish <corpus> --repo namespace/name [--private] [--revision BRANCH] [--dry-run] [--token T] [--endpoint URL] [--json]'

/** The plan or outcome as a user reads it. */
export function renderPublishResult(r: PublishResult): string {
  const where = `${r.hubUrl}/datasets/${r.repo}@${r.revision}`
  const compared = {
    hub: 'what the Hub has at that revision',
    'last-publish': 'the last publish of this corpus to that revision (.pixcap/publish.json); the Hub is not asked',
    nothing: 'nothing: this corpus was never published there from here, so every file counts as new',
  }[r.comparedWith]
  const width = Math.max(...r.files.map((f) => String(f.bytes).length), 5)
  const lines = [
    r.dryRun ? `publish plan for ${where} (dry run: no request made)` : `publish to ${where}${r.repoCreated ? ' (repo created)' : ''}`,
    `compared with ${compared}`,
    `  ${'status'.padEnd(9)} ${'bytes'.padStart(width)}  file`,
    ...r.files.map((f) => `  ${f.status.padEnd(9)} ${String(f.bytes).padStart(width)}  ${f.path}`),
  ]
  const toSend = r.files.length - r.unchanged
  if (r.dryRun) lines.push(`${toSend} file${toSend === 1 ? '' : 's'} to upload (${r.uploadBytes} bytes), ${r.unchanged} unchanged`)
  else if (r.commitUrl) lines.push(`uploaded ${r.uploaded} file${r.uploaded === 1 ? '' : 's'} (${r.uploadBytes} bytes), ${r.unchanged} unchanged, in one commit:`, r.commitUrl)
  else lines.push(`nothing to upload: all ${r.files.length} files are already at ${r.hubUrl}/datasets/${r.repo}/tree/${r.revision}`)
  return `${lines.join('\n')}\n`
}

/** `pixcap publish`: the corpus (card, manifest, shards) -> one commit on a Hub dataset repo. */
export const publishCommand: Command = {
  name: 'publish',
  summary: 'upload a corpus (card, manifest, shards) to a Hugging Face dataset repo in one commit, skipping unchanged files',
  usage,
  options: [
    { flag: '--repo NS/NAME', description: 'the dataset repo; created when missing' },
    { flag: '--private', description: 'create the repo private (an existing repo keeps its visibility)' },
    { flag: '--revision BRANCH', description: 'branch to commit to; created from main when missing', default: 'main' },
    { flag: '--dry-run', description: 'print the plan (files, sizes, new/changed/unchanged vs the last publish) without any request' },
    { flag: '--token T', description: 'Hub token; never printed', default: 'HF_TOKEN, then the token file of `hf auth login`' },
    { flag: '--endpoint URL', description: 'Hub base URL', default: `HF_ENDPOINT or ${DEFAULT_HUB_URL}` },
    { flag: '--json', description: 'print the result as JSON (no progress)' },
  ],
  async run(rawArgs, io) {
    const { values, positionals } = parseCommandArgs(this, rawArgs, {
      allowPositionals: true,
      options: {
        repo: { type: 'string' }, private: { type: 'boolean' }, revision: { type: 'string' }, 'dry-run': { type: 'boolean' },
        token: { type: 'string' }, endpoint: { type: 'string' }, json: { type: 'boolean' },
      },
    })
    if (positionals.length !== 1) throw new UsageError(`pixcap publish: expected one corpus directory, got ${positionals.length}`, usage)
    if (values.repo === undefined) throw new UsageError('pixcap publish: --repo is required', usage)
    const json = values.json === true
    const dryRun = values['dry-run'] === true
    const token = dryRun ? null : await requireHubToken({ ...(values.token !== undefined ? { flag: values.token } : {}), env: io.env })
    const bar = createProgressBar(io, json)
    const result = await publishDataset({
      dir: resolve(io.cwd, positionals[0]!),
      repo: values.repo,
      dryRun,
      hubUrl: values.endpoint ?? io.env.HF_ENDPOINT ?? DEFAULT_HUB_URL,
      ...(token ? { accessToken: token.token } : {}),
      ...(values.revision !== undefined ? { revision: values.revision } : {}),
      ...(values.private ? { private: true } : {}),
      ...(io.signal ? { signal: io.signal } : {}),
      onEvent: (e) => {
        if (e.kind === 'progress') bar(e)
        else if (e.kind === 'retry' && !json) {
          bar.finish()
          io.stderr.write(`retrying ${e.method} ${new URL(e.url).pathname} after ${e.reason} (retry ${e.attempt}/${e.maxRetries} in ${(e.waitMs / 1000).toFixed(1)} s)\n`)
        }
      },
    }).finally(() => bar.finish())
    if (json) printJson(io, { ok: true, tokenSource: token?.source ?? null, ...result })
    else io.stdout.write(renderPublishResult(result))
    return 0
  },
}
