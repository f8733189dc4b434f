// The machine's GPUs as nvidia-smi lists them: recorded in run.json (runs/) and counted by preflight (recipes/), so it
// lives below both.
import { execa } from 'execa'

/** One GPU as nvidia-smi reports it. */
export interface GpuInfo {
  index: number
  name: string
  memoryMiB: number | null
  driver: string | null
}

/** The nvidia-smi query pixcap runs (CSV without header or units: `0, NVIDIA H200, 143771, 550.54.15`). */
const NVIDIA_SMI_ARGS = ['--query-gpu=index,name,memory.total,driver_version', '--format=csv,noheader,nounits']

/** Parses the output of `nvidia-smi` with NVIDIA_SMI_ARGS. Pure. */
export function parseNvidiaSmi(text: string): GpuInfo[] {
  const out: GpuInfo[] = []
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue
    const cells = line.split(',').map((c) => c.trim())
    if (cells.length < 4) continue
    const driver = cells.at(-1) as string
    const memory = Number(cells.at(-2))
    const name = cells.slice(1, -2).join(', ') // a name could contain a comma
    out.push({ index: Number(cells[0]), name, memoryMiB: Number.isFinite(memory) ? memory : null, driver: driver || null })
  }
  return out
}

/** GPU inventory from nvidia-smi (runs.md §7), or [] when there is none. */
export async function gpuInventory(env: Record<string, string | undefined>): Promise<GpuInfo[]> {
  const r = await execa('nvidia-smi', NVIDIA_SMI_ARGS, { env, reject: false, timeout: 15_000 })
  return r.exitCode === 0 ? parseNvidiaSmi(String(r.stdout)) : []
}
