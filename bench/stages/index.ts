// Every benchmark stage, in the order `npm run bench` runs them. A new stage is one file plus one line here.
import type { BenchStage } from '../stage.js'
import { convertStage } from './convert.js'
import { instructStage } from './instruct.js'
import { jsonRead } from './json-read.js'
import { maskGeometry } from './mask-geometry.js'
import { pngDecode } from './png-decode.js'

export const STAGES: BenchStage[] = [pngDecode, maskGeometry, jsonRead, instructStage, convertStage]
