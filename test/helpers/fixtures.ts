// Locations of test data. The shared fixtures (../shared beside the clone) exist on CI and developer machines but
// not in a user's clone: tests that need them use `describe.skipIf(!HAS_SHARED)`.
import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
export const SHARED_DIR = process.env.PIXCAP_SHARED_DIR ?? resolve(REPO_ROOT, '../shared')
export const COCO_SAMPLE_DIR = join(SHARED_DIR, 'fixtures/coco-panoptic-sample')
/** pix2cap_sample_val.json: 2 images, 50 segments with descriptions (shared/fixtures README). */
export const PIX2CAP_SAMPLE_JSON = join(COCO_SAMPLE_DIR, 'pix2cap_sample_val.json')
export const PANOPTIC_SAMPLE_DIR = join(COCO_SAMPLE_DIR, 'sample_data/panoptic_examples')
export const IMAGES_SAMPLE_DIR = join(COCO_SAMPLE_DIR, 'sample_data/input_images')
export const HAS_SHARED = existsSync(PIX2CAP_SAMPLE_JSON)

/** The project's own generated sample (always present in a clone). */
export const BUNDLED_SAMPLE_DIR = join(REPO_ROOT, 'sample')

/** The test venv's Python, set up by scripts/setup-python.sh; tests needing it skip when absent. */
export const PYTHON = process.env.PIXCAP_PYTHON ?? join(REPO_ROOT, '.venv/bin/python')
export const HAS_PYTHON = existsSync(PYTHON)
