#!/usr/bin/env node
// Thin launcher: the CLI lives in dist/cli/main.js (npm run build).
// SIGINT/SIGTERM abort io.signal so a command can end its children and record the outcome (pixcap run marks the run
// killed after ending the bridge's process group). A command that ignores the signal is exited after 10 s, or at once
// on a second signal.
import { main, processIo } from '../dist/cli/main.js'

const controller = new AbortController()
let received = 0
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    received++
    if (received > 1) process.exit(130)
    controller.abort(new Error(`received ${sig}`))
    setTimeout(() => process.exit(130), 10_000).unref()
  })
}
process.exitCode = await main(process.argv.slice(2), processIo(controller.signal))
