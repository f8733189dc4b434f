import v8 from 'node:v8'
if (process.argv[2]) v8.setFlagsFromString(`--max-semi-space-size=${process.argv[2]}`)
const { convertDataset } = await import('/work/main/dist/convert/convert-dataset.js')
const { rm } = await import('node:fs/promises')
const out = '/tmp/conv-prof-out'
await rm(out, { recursive: true, force: true })
const t0 = performance.now(); const c0 = process.cpuUsage()
await convertDataset({ annotations: '/tmp/perf-bench/pix2cap_synth_train.json', to: 'gpt4roi', outDir: out, formats: ['parquet', 'arrow'], seed: 0 })
const c = process.cpuUsage(c0)
console.log(process.argv[2] ?? 'default', 'ms', Math.round(performance.now() - t0), 'cpu', Math.round((c.user + c.system) / 1000), 'rss', Math.round(process.resourceUsage().maxRSS / 1024))
