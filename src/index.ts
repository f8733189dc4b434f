// Public library API: every CLI command is a library function first.
export * from './errors.js'
export * from './records/index.js'
export { createRng, deriveSeed, type Rng } from './util/rng.js'
export { sha256, sha256File } from './util/sha256.js'
export { writeFileAtomic, writeStreamAtomic, openAtomic } from './util/atomic-write.js'
export * from './instruct/index.js'
export * from './formats/index.js'
export * from './geometry/index.js'
export { decodePanopticPng, encodePanopticPng, rgbToIds } from './io/panoptic-png.js'
export {
  verifyMasks,
  DEFAULT_MASK_CONCURRENCY,
  defaultMaskWorkers,
  type MaskCheck,
  type MaskIssue,
  type MaskIssueKind,
  type VerifyMasksOptions,
} from './io/verify-masks.js'
export { streamJsonObject, type JsonStreamEvent, type JsonStreamOptions, type MemberMode } from './io/json-array-stream.js'
export { openRejectsWriter, type RejectsWriter } from './io/rejects-writer.js'
export {
  readPix2Cap,
  splitFromFileName,
  PIX2CAP_SOURCE,
  type Pix2CapReader,
  type ReadPix2CapOptions,
  type SourceImage,
  type DroppedRegion,
  type Pix2CapIssue,
  type Pix2CapReport,
} from './sources/pix2cap/read-pix2cap.js'
export * from './sources/pix2cap/raw-schema.js'
export {
  FilterPolicy,
  DEFAULT_FILTER_POLICY,
  FILTER_POLICY_FLAGS,
  FILTER_POLICY_USAGE,
  filterPolicyFromFlags,
} from './dataset/filter-policy.js'
export { filterImages, checkRegion, xdecoderImageRuleHit, type FilterCounts, type FilteredImages, type FilterImagesOptions } from './dataset/filter-images.js'
export { createStats, addImage, mergeStats, summarizeStats, distributionOf, wordCount, type StatsAccumulator, type StatsSummary } from './dataset/stats.js'
export { statsPix2Cap, type StatsPix2CapOptions, type StatsPix2CapResult } from './dataset/pix2cap-stats.js'
export { validatePix2Cap, type ValidatePix2CapOptions, type ValidationIssue, type ValidationReport } from './dataset/validate-pix2cap.js'
export * from './metrics/index.js'
export { evalPanoptic, type PanopticEvalOptions, type PanopticEvalResult, type PanopticImageOutcome } from './eval/panoptic-eval.js'
export { evalPanopticCaptions, ROUGE_L_PAIR_SCORER, DEFAULT_DETECTION_SCORE, type CaptionPairScorer, type PanopticCaptionResult } from './eval/panoptic-captions.js'
export { toArrowSchema, toArrowType, toHfFeatures, hfMetadataValue, HF_METADATA_KEY, type HfFeature } from './io/arrow-schema.js'
export { ArrowBatchBuilder, DEFAULT_BATCH_ROWS, IMAGE_BATCH_ROWS, type Row, type ImageValue } from './io/arrow-batch.js'
export type { RowSink, BatchFileWriter } from './io/row-sink.js'
export type { WrittenFile, FinishedFile } from './io/output-file.js'
export { openCorpusSink, OUTPUT_FORMATS, FORMAT_LAYOUT, type OutputFormat, type CorpusSinkOptions } from './io/corpus-sink.js'
export { planShards, shardFileName, startsNewShard, MAX_SHARD_BYTES, MAX_SHARD_ROWS, type ShardLimits, type PlannedShard, type BatchSize } from './io/shards.js'
export { Manifest, ManifestFile, ManifestInput, ManifestCounts, MANIFEST_FILE, readManifest, writeManifest, checkRegionInvariant } from './io/manifest.js'
export { convertDataset, convertDatasetIter, type ConvertOptions, type ConvertEvent, type ConvertResult } from './convert/convert-dataset.js'
export { mergeManifests, checkJobManifests, type MergeOptions } from './convert/merge-manifests.js'
export { shardOfImage } from './convert/select-shard.js'
export { runDemo, BUNDLED_SAMPLE, type DemoOptions } from './convert/demo.js'
export { decodeMaskGeometry, type DecodedMask } from './io/mask-decode.js'
export { createWorkerPool, workerModuleUrl, type WorkerPool, type WorkerPoolOptions, type WorkerReply } from './io/worker-pool.js'
export { serveTasks, type ServeOptions } from './io/worker-serve.js'
export { toWorkerFailure, fromWorkerFailure, type WorkerFailure } from './io/worker-failure.js'
export { BridgeEvent, parseBridgeLine, PROTOCOL_VERSION } from './bridge/protocol.js'
export { spawnBridge, type BridgeProcess, type BridgeResult, type SpawnBridgeOptions } from './bridge/spawn-bridge.js'
export { runDoctor, type DoctorReport } from './bridge/doctor.js'
export { Recipe } from './recipes/schema.js'
export { loadRecipe } from './recipes/load.js'
export { planRun, type Plan, type PlanStep } from './recipes/plan.js'
export { runRecipe, planRecipe, checkRecipe, type RunOutcome, type RunProgress } from './runs/execute.js'
export { preflightPlan, machineProbes, renderPreflight, registeredDatasetTypes, type PreflightReport, type PreflightProblem, type PreflightProbes } from './recipes/preflight.js'
export { checkBridgeConfig, BRIDGE_CONFIGS } from './recipes/bridge-config.js'
export { RunRecord, RunStatus, MetricLine } from './runs/run-record.js'
export { listRuns, readRun, resolveRunsDir } from './runs/store.js'
export { cancelRun } from './runs/cancel.js'
export { compareRuns, renderComparison } from './runs/compare.js'
export { plotRuns } from './runs/plot.js'
export { renderMetricSvg } from './runs/plot-svg.js'
export { runLog } from './runs/logs.js'
export { createRedactor, redactEnv, isSecretName } from './runs/redact.js'
export { previewImages, type PreviewImagesOptions } from './dataset/preview-images.js'
export { renderRegionPreview, type RegionPreviewOptions } from './io/region-preview.js'
export { prepareVipBench, writeVipBenchQuestions, loadVipMeta, loadVipQuestions, VipSplit, type VipBenchQuestion } from './vipbench/prepare.js'
export { gradeVipBench, type GradeVipBenchOptions, type GradeSummary } from './vipbench/grade.js'
export { createChatClient, type ChatClient } from './vipbench/chat-client.js'
export { PIXCAP_JUDGE_PROMPT, readJudgePromptFromCheckout, type JudgePrompt } from './vipbench/judge-prompt.js'
export { loadVipAnswers } from './vipbench/answers.js'
export { vipScoresCsv, vipScoresMarkdown } from './vipbench/report.js'
export { evaluateCaptionFiles, evaluateCaptions, ALL_CAPTION_METRICS, type EvaluateCaptionsOptions, type EvaluateCaptionsResult } from './eval/evaluate-captions.js'
export { prepareVgRegionCaption, detectVgLayout, type VgTestLayout, VG_REGION_PROMPT, type VgPrepareOptions, type VgPrepareResult, type VgQuestion } from './eval/vg-region-caption.js'
export { scoreVgRegionCaptions, planVgShards, type VgScoreOptions, type VgScoreResult } from './eval/vg-score.js'
// First-hour data policy and CLI helpers (issue 10)
export { captionFindings, MARK_LEFTOVER, MAX_CAPTION_CHARS, type CaptionFindingKind } from './dataset/caption-checks.js'
export { chooseSplit, DEFAULT_SPLIT, type SplitSource } from './sources/pix2cap/read-pix2cap.js'
export { prepareOutDir, type PreparedOutDir } from './io/prepare-out-dir.js'
export { acquireCorpusLock, LOCK_FILE, writerState, type CorpusLockRecord, type HeldCorpusLock } from './io/corpus-lock.js'
export { refuseOutputsOverInputs, type InputLocation, type OutputLocations } from './io/outputs-over-inputs.js'
export { checkNoLoneSurrogates, findLoneSurrogateEscape, hasLoneSurrogate } from './io/lone-surrogates.js'
export { decodeUtf8, firstInvalidUtf8 } from './io/utf8.js'
export { checkInputFile } from './io/input-file.js'
export { readableLog, readableLogLine, renderBridgeEvent } from './runs/readable-log.js'
export { PYTHON_SETUP_HINT } from './bridge/doctor.js'
export { writeDatasetCard, CARD_FILE, CARD_ASSETS_DIR, type WriteCardOptions, type WriteCardResult } from './hub/write-card.js'
export { publishDataset, DEFAULT_HUB_URL, type PublishOptions, type PublishResult, type PublishEvent } from './hub/publish.js'
export { planPublish, type PublishPlan, type PlannedFile, type LocalFile, type RemoteFile } from './hub/publish-plan.js'
export { findHubToken, requireHubToken, hubTokenPath, type HubToken, type TokenSource } from './hub/token.js'
export { retryingFetch, DEFAULT_RETRY_POLICY, RETRY_STATUSES, type RetryPolicy, type RetryEvent } from './hub/retry-fetch.js'
export { checkCorpus, assertCorpusIntact, type CorpusCheck, type CorpusIssue } from './io/verify-corpus.js'
export { serveView, VIEW_DEFAULT_HOST, type ServeViewOptions, type ViewServer } from './view/serve-view.js'
export { openCorpusView, type CorpusView, type CorpusViewOptions, type SamplePage } from './view/corpus-view.js'
export { openParquetPager, type ParquetPager } from './io/parquet-pages.js'
export { RegionQuestion, RegionAnswer, QuestionId, regionQaJsonSchema } from './schemas/region-qa.js'
