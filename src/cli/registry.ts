// Every CLI verb, one line each: name, summary, and the module that implements it. A command's module (and what it
// imports: sharp, Arrow, parquet-wasm, ...) is loaded only when that command is chosen, so `pixcap --help` and
// `pixcap --version` start fast. A new command is one file in commands/ plus one line here.
// test/cli/registry.test.ts checks each line's name and summary against the module's Command.
import type { Command } from './command.js'

/** A registry line: enough to list and choose the command without loading it. */
export interface CommandEntry {
  name: string
  summary: string
  load(): Promise<Command>
}

const entry = (name: string, summary: string, load: () => Promise<Command>): CommandEntry => ({ name, summary, load })

export const COMMANDS: CommandEntry[] = [
  entry('validate', 'check an annotation file against its schema, its panoptic PNGs (Pix2Cap-COCO) and (optionally) its photos', async () => (await import('./commands/validate.js')).validateCommand),
  entry('stats', 'statistics of an annotation file (Pix2Cap-COCO, COCO region captions, ...)', async () => (await import('./commands/stats.js')).statsCommand),
  entry('preview', 'draw the regions of images (masks, boxes, labels) to PNG files', async () => (await import('./commands/preview.js')).previewCommand),
  entry('convert', 'convert a dataset (Pix2Cap-COCO, COCO region captions, ...) into a training corpus (gpt4roi, densecoco, vgdata, llava, sharegpt, qwen-vl, osprey, vip-llava)', async () => (await import('./commands/convert.js')).convertCommand),
  entry('merge-manifests', 'join the outputs of convert --shard-index/--num-shards jobs into one corpus', async () => (await import('./commands/merge-manifests.js')).mergeManifestsCommand),
  entry('split', "split a corpus by image into train/validation/test (seeded; an image's regions never in two splits)", async () => (await import('./commands/split.js')).splitCommand),
  entry('mix', 'mix corpora of one format by weights or target counts (seeded up/down-sampling) into one dataset', async () => (await import('./commands/mix.js')).mixCommand),
  entry('dedup', 'remove identical and near-identical images (sha256, pHash radius) and duplicate captions of one region', async () => (await import('./commands/dedup.js')).dedupCommand),
  entry('contamination', 'find evaluation images in a corpus (COCO id, sha256, pHash), report them with a contact sheet, optionally filter', async () => (await import('./commands/contamination.js')).contaminationCommand),
  entry('templates check', 'validate a template file and print its sha256 and counts', async () => (await import('./commands/templates.js')).templatesCheckCommand),
  entry('templates import-gpt4roi', "write a template file from GPT4RoI's own question lists in a local checkout (read, never executed)", async () => (await import('./commands/templates.js')).templatesImportCommand),
  entry('demo', 'convert the bundled sample to a gpt4roi corpus (Parquet, Arrow, JSONL) in out/demo', async () => (await import('./commands/demo.js')).demoCommand),
  entry('card', 'write the dataset card README.md (Hub YAML, statistics, pictures, provenance, licences) into a corpus', async () => (await import('./commands/card.js')).cardCommand),
  entry('publish', 'upload a corpus (card, manifest, shards) to a Hugging Face dataset repo in one commit, skipping unchanged files', async () => (await import('./commands/publish.js')).publishCommand),
  entry('view', 'browse a corpus (samples, regions, filters, rejects, statistics) and runs in a local web app', async () => (await import('./commands/view.js')).viewCommand),
  entry('eval captions', 'score captions like pycocoevalcap (BLEU, ROUGE-L, CIDEr-D; METEOR/SPICE with their jars)', async () => (await import('./commands/eval-captions.js')).evalCaptionsCommand),
  entry('eval vg-prepare', 'write VG region-captioning questions (GPT4RoI protocol) and references', async () => (await import('./commands/eval-vg.js')).evalVgPrepareCommand),
  entry('eval vg-score', 'merge {ckpt}_vg_{rank}.json shards and score them like pycocoevalcap', async () => (await import('./commands/eval-vg.js')).evalVgScoreCommand),
  entry('eval panoptic', 'panoptic quality (panopticapi rules), optionally Pix2Cap caption scores and dense mAP', async () => (await import('./commands/eval-panoptic.js')).evalPanopticCommand),
  entry('vipbench prepare', 'ViP-Bench -> GPT4RoI region questions (region{N} <bbox>, normalised boxes)', async () => (await import('./commands/vipbench.js')).vipbenchPrepareCommand),
  entry('vipbench grade', 'grade answers with an LLM judge (resumable; N runs)', async () => (await import('./commands/vipbench.js')).vipbenchGradeCommand),
  entry('vipbench score', 'aggregate grades: per-capability mean x100, total, mean and std over runs', async () => (await import('./commands/vipbench.js')).vipbenchScoreCommand),
  entry('run', 'run a recipe (train/eval through the Python bridge) and record it in the run store', async () => (await import('./commands/run.js')).runCommand),
  entry('runs list', 'list runs with their status (lost = owner died without a final status)', async () => (await import('./commands/runs.js')).runsListCommand),
  entry('runs show', 'print a run record (run.json, with the derived status)', async () => (await import('./commands/runs.js')).runsShowCommand),
  entry('runs logs', "print what a run's trainer printed (--stderr, --raw for the bridge protocol, -f to follow)", async () => (await import('./commands/runs.js')).runsLogsCommand),
  entry('runs cancel', 'cancel a run (SIGTERM to its pixcap, or scancel for Slurm)', async () => (await import('./commands/runs.js')).runsCancelCommand),
  entry('runs compare', 'compare runs: config differences and final metrics', async () => (await import('./commands/runs.js')).runsCompareCommand),
  entry('runs plot', 'plot a metric over steps for runs, as SVG or PNG', async () => (await import('./commands/runs.js')).runsPlotCommand),
  entry('doctor', 'check the Python bridge environment (python, torch, CUDA, GPUs, transformers, GPT4RoI)', async () => (await import('./commands/doctor.js')).doctorCommand),
  entry('version', 'print the pixcap version', async () => (await import('./commands/version.js')).versionCommand),
]
