// Every benchmark stage, in the order `npm run bench` runs them. A new stage is one file plus one line here.
import type { BenchStage } from '../stage.js'
import { jsonRead } from './json-read.js'
import { pngDecode } from './png-decode.js'
import { maskGeometry } from './mask-geometry.js'
import { instructStage } from './instruct.js'
import { convertStage } from './convert.js'
import { pqStage } from './pq.js'
import { captionMetricsStage } from './caption-metrics.js'
import { cardStage } from './card.js'
import { viewStage } from './view.js'
import { visualPromptsStage } from './visual-prompts.js'
import { phashStage } from './phash.js'
import { resumeStage } from './resume.js'
import { conversationSourcesStage } from './conversation-sources.js'

export const STAGES: BenchStage[] = [
  jsonRead,
  pngDecode,
  maskGeometry,
  instructStage,
  convertStage,
  pqStage,
  captionMetricsStage,
  cardStage,
  viewStage,
  visualPromptsStage,
  phashStage,
  resumeStage,
  conversationSourcesStage,
]
