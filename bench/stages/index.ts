// Every benchmark stage, in the order `npm run bench` runs them. A new stage is one file plus one line here.
import type { BenchStage } from '../stage.js'
import { captionMetricsStage } from './caption-metrics.js'

export const STAGES: BenchStage[] = [
  captionMetricsStage,
]
