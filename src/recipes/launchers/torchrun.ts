// torchrun (torch.distributed.elastic) argv. GPT4RoI trains with `torchrun --nnodes=1 --nproc_per_node=8` (stage 2,
// gpt4roi.md §7; runs.md §5). One node: --master_addr/--master_port. Several nodes: a c10d rendezvous endpoint when one
// is given (every node runs the same argv), else master addr/port plus this node's --node_rank.
import type { z } from 'zod'
import type { TorchrunLauncher } from '../schema.js'

/** The torchrun prefix for an entry (`-m module args...` or `script args...`). Pure. */
export function torchrunArgv(l: z.infer<typeof TorchrunLauncher>, entry: readonly string[]): string[] {
  const argv = [l.torchrun, `--nnodes=${l.nnodes}`, `--nproc_per_node=${l.nproc_per_node}`]
  if (l.rdzv_endpoint) {
    argv.push(`--rdzv_backend=${l.rdzv_backend ?? 'c10d'}`, `--rdzv_endpoint=${l.rdzv_endpoint}`)
    if (l.rdzv_id) argv.push(`--rdzv_id=${l.rdzv_id}`)
  } else {
    if (l.nnodes > 1) argv.push(`--node_rank=${l.node_rank}`)
    argv.push(`--master_addr=${l.master_addr}`, `--master_port=${l.master_port}`)
  }
  return [...argv, ...entry]
}
