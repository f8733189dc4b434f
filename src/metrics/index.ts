// Pure metrics: no file system, no pixels (STYLE.md §2).
export { scoreCaptions, CAPTION_METRICS, type CaptionMetricName, type CaptionScores, type CaptionInput, type CaptionScoreOptions } from './caption-metrics.js'
export { computeBleu, bleuStats, bleuFromStats, BLEU_TINY, BLEU_SMALL, type BleuResult, type BleuStats, type CaptionPair } from './bleu.js'
export { computeRougeL, rougeL, lcsLength, ROUGE_L_BETA } from './rouge-l.js'
export { computeCiderD, CIDER_SIGMA, CIDER_SCALE } from './cider-d.js'
export { ptbTokenize, ptbTokens, PTB_PUNCTUATIONS } from './ptb-tokenize.js'
export { npMean, pairwiseSum } from './np-mean.js'
export { pySplit, countNgrams } from './tokens.js'
