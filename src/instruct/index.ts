export * from './template-set.js'
export * from './load-templates.js'
export * from './gpt4roi-conversation.js'
