export * from './region-record.js'
export * from './reject.js'
