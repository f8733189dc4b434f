// Public API of pixcap: one export per operation (each CLI verb calls exactly one), with its option and result types;
// the canonical records and the errors. Building blocks are behind subpath exports (package.json "exports"):
// pixcap/records, pixcap/sources, pixcap/formats, pixcap/instruct, pixcap/geometry, pixcap/metrics, pixcap/io.
// The shape follows huggingface.js packages/hub/src/lib/index.ts: a list of operations, one file each.
export * from './errors.js'
export * from './records/index.js'

// Reading a dataset (any registered source), checking and describing it.
export { openSource, detectSource, type OpenAnySourceOptions } from './sources/open-source.js'
export { SOURCES, type SourceName } from './sources/registry.js'
export type { SourceDefinition, SourceReader, OpenSourceOptions } from './sources/source-reader.js'
export { validateSource, type ValidateSourceOptions, type ValidationIssue, type ValidationReport } from './dataset/validate-source.js'
export { statsSource, type StatsSourceOptions, type StatsSourceResult } from './dataset/source-stats.js'
export { previewImages, type PreviewImagesOptions } from './dataset/preview-images.js'
export { filterImages, type FilterCounts, type FilteredImages, type FilterImagesOptions } from './dataset/filter-images.js'
export { FilterPolicy, DEFAULT_FILTER_POLICY } from './dataset/filter-policy.js'

// Building a corpus.
export { convertDataset, convertDatasetIter, type ConvertOptions, type ConvertEvent, type ConvertResult } from './convert/convert-dataset.js'
export { mergeManifests, type MergeOptions } from './convert/merge-manifests.js'
export { runDemo, type DemoOptions } from './convert/demo.js'
export { FORMATS, type FormatName } from './formats/registry.js'
export { loadTemplates, type LoadedTemplates } from './instruct/load-templates.js'
export { importGpt4RoiTemplates, type ImportGpt4RoiOptions, type ImportedTemplates } from './instruct/import-gpt4roi-templates.js'
export { readManifest, Manifest } from './io/corpus/manifest.js'
export { checkCorpus, type CorpusCheck, type CorpusIssue } from './io/corpus/verify-corpus.js'

// Publishing and browsing.
export { writeDatasetCard, type WriteCardOptions, type WriteCardResult } from './hub/write-card.js'
export { publishDataset, type PublishOptions, type PublishResult, type PublishEvent } from './hub/publish.js'
export { serveView, type ServeViewOptions, type ViewServer } from './view/serve-view.js'

// Curating corpora: split, mix, dedup, benchmark contamination.
export { splitCorpus, type SplitCorpusOptions, type SplitCorpusResult } from './dataset/split-corpus.js'
export { mixCorpora, type MixCorporaOptions, type MixCorporaResult, type MixCounts, type MixPartRecord } from './dataset/mix-corpora.js'
export { dedupCorpus, type DedupCorpusOptions, type DedupCorpusResult, type DuplicateImage } from './dataset/dedup-corpus.js'
export { findContamination, type ContaminationOptions, type ContaminationResult, type ContaminationPair, type SetReport, type MatchMethod } from './dataset/contamination.js'
export type { EvaluationImage } from './dataset/evaluation-sets.js'

// Evaluation.
export { evaluateCaptionFiles, type EvaluateCaptionsOptions, type EvaluateCaptionsResult } from './eval/evaluate-captions.js'
export { evalPanoptic, type PanopticEvalOptions, type PanopticEvalResult } from './eval/panoptic-eval.js'
export { evalPanopticCaptions, type PanopticCaptionResult } from './eval/panoptic-captions.js'
export { prepareVgRegionCaption, type VgPrepareOptions, type VgPrepareResult } from './eval/vg-region-caption.js'
export { scoreVgRegionCaptions, type VgScoreOptions, type VgScoreResult } from './eval/vg-score.js'
export { prepareVipBench, type VipBenchQuestion } from './vipbench/prepare.js'
export { gradeVipBench, type GradeVipBenchOptions, type GradeSummary } from './vipbench/grade.js'
export { scoreVipBench, type VipBenchScores } from './metrics/vipbench-score.js'

// Training and evaluation runs.
export { runRecipe, planRecipe, checkRecipe, type RunRecipeOptions, type RunOutcome, type RunProgress } from './runs/execute.js'
export { listRuns, readRun } from './runs/store.js'
export { RunRecord, RunStatus } from './runs/run-record.js'
export { cancelRun, type CancelRunOptions, type CancelResult } from './runs/cancel.js'
export { compareRuns, type RunComparison } from './runs/compare.js'
export { plotRuns, type PlotRunsOptions, type PlotResult } from './runs/plot.js'
export { runLog, type RunLogOptions } from './runs/logs.js'
export { runDoctor, type DoctorOptions, type DoctorReport } from './bridge/doctor.js'
