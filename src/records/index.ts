export * from './region-record.js'
export * from './reject.js'
export * from './source-entry.js'
export * from './source-report.js'
