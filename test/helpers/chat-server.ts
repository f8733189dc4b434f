// A local HTTP server on 127.0.0.1 that speaks the OpenAI chat-completions protocol, standing in for an LLM judge.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface ChatRequestRecord {
  model: string
  content: string
  temperature: number
  maxTokens: number
  authorization: string | undefined
}

/** `reply` decides each answer: a string is the message content; a number is an HTTP error status. */
export async function startChatServer(reply: (req: ChatRequestRecord, index: number) => string | number) {
  const requests: ChatRequestRecord[] = []
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = ''
    req.on('data', (c: Buffer) => (body += c.toString()))
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        res.writeHead(404).end('{"error":"not found"}')
        return
      }
      const json = JSON.parse(body) as { model: string; messages: { role: string; content: string }[]; temperature: number; max_tokens: number }
      const record: ChatRequestRecord = {
        model: json.model,
        content: json.messages[0]?.content ?? '',
        temperature: json.temperature,
        maxTokens: json.max_tokens,
        authorization: req.headers.authorization,
      }
      requests.push(record)
      const answer = reply(record, requests.length - 1)
      if (typeof answer === 'number') {
        res.writeHead(answer, { 'content-type': 'application/json' }).end('{"error":{"message":"rate limited"}}')
        return
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({ id: `chatcmpl-${requests.length}`, object: 'chat.completion', model: `${json.model}-0613`, choices: [{ index: 0, message: { role: 'assistant', content: answer }, finish_reason: 'length' }] }),
      )
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
