export * from './field-spec.js'
export * from './target-format.js'
export * from './gpt4roi.js'
export * from './registry.js'
