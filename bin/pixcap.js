#!/usr/bin/env node
// Thin launcher: the CLI lives in dist/cli/main.js, bundled into dist/cli-bundle/ for start-up speed (npm run build;
// scripts/bundle-cli.mjs says why).
// SIGINT/SIGTERM abort io.signal, so a command that listens (pixcap run: it ends the bridge's process group and
// records the run as killed) can finish cleanly. When nothing listens, or on a second signal, exit at once (130);
// a listener gets at most 10 s.
import { getEventListeners } from 'node:events'
import { main, processIo } from '../dist/cli-bundle/main.js'

const controller = new AbortController()
let received = 0
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    received++
    if (received > 1 || getEventListeners(controller.signal, 'abort').length === 0) process.exit(130)
    controller.abort(new Error(`received ${sig}`))
    setTimeout(() => process.exit(130), 10_000).unref()
  })
}
process.exitCode = await main(process.argv.slice(2), processIo(controller.signal))
