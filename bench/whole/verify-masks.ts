// Whole-process case `verify-masks`: `pixcap validate <png subset> --panoptic-dir D` on the synthetic 640x480
// panoptic PNGs (--png-images, default 1,000), against
// - the numpy + PIL peer (bench/peers/verify_masks.py: the same checks, one process per core),
// - the floor (bench/peers/decode_masks.mjs: read the JSON and decode every PNG with the same decoder on the same
//   worker arrangement, no checks).
// Targets (issue 18): pixcap >= 7x the numpy + PIL peer, and within 1.25x of the floor.
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { synthPaths } from '../synth.js'
import type { WholeProcessCase } from './case.js'
import { benchPython } from './python.js'

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)))

export const verifyMasksCase: WholeProcessCase = {
  name: 'verify-masks',
  async prepare(ctx) {
    const { pngSubsetJsonPath, panopticDir } = synthPaths(ctx.dataDir)
    let images = 0
    return {
      items: () => images,
      unit: 'PNGs (640x480)',
      pixcap: {
        label: 'pixcap validate --panoptic-dir',
        argv: [process.execPath, join(ROOT, 'bin/pixcap.js'), 'validate', pngSubsetJsonPath, '--panoptic-dir', panopticDir, '--json'],
        check(stdout) {
          const r = JSON.parse(stdout) as { ok: boolean; counts: { masksChecked: number } }
          if (!r.ok) throw new Error(`pixcap validate found problems in the synthetic set: ${stdout.slice(0, 500)}`)
          images = r.counts.masksChecked
        },
      },
      peers: [
        {
          label: 'Python numpy + PIL',
          script: 'bench/peers/verify_masks.py',
          argv: [benchPython(ROOT), join(ROOT, 'bench/peers/verify_masks.py'), pngSubsetJsonPath, panopticDir],
          check(stdout) {
            const r = JSON.parse(stdout.trim().split('\n').pop() as string) as { images: number; issues: number }
            if (r.issues !== 0 || r.images !== images) throw new Error(`verify_masks.py: ${r.issues} issues over ${r.images} images`)
          },
        },
        {
          label: 'floor: decode only, same decoder and workers',
          script: 'bench/peers/decode_masks.mjs',
          argv: [process.execPath, join(ROOT, 'bench/peers/decode_masks.mjs'), pngSubsetJsonPath, panopticDir],
        },
      ],
    }
  },
}
