export * from './joint-histogram.js'
export * from './pq-stats.js'
export * from './image-pq.js'
export * from './pq-summary.js'
