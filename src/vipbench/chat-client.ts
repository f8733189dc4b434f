// A minimal OpenAI-compatible chat-completions client (POST {baseUrl}/chat/completions). Any compatible endpoint
// works (OpenAI, Azure via its OpenAI-compatible /openai/v1 route, vLLM, a local test server). The key is sent in a
// header only and never logged.
import { z } from 'zod'
import { createRedactor } from '../util/redact.js'

/** The default wait for one judge answer (ViP-LLaVA's evaluator sets no timeout; a hung server must not hang us). */
export const DEFAULT_JUDGE_TIMEOUT_MS = 120_000

/** What the grader needs from a chat model. */
export interface ChatClient {
  complete(request: { content: string; temperature: number; maxTokens: number }): Promise<{ content: string; model: string }>
}

const ChatResponse = z.looseObject({
  model: z.string().optional(),
  choices: z.array(z.looseObject({ message: z.looseObject({ content: z.string().nullable() }) })).min(1),
})

/** An HTTP failure from the endpoint (status and a short body excerpt, with the key masked where the server echoes it). */
class ChatHttpError extends Error {
  constructor(readonly status: number, body: string) {
    super(`chat endpoint answered HTTP ${status}: ${body.slice(0, 200)}`)
    this.name = 'ChatHttpError'
  }
}

/** Creates a client for an OpenAI-compatible endpoint. `fetch` is injectable for tests and proxies. */
export function createChatClient(opts: { baseUrl: string; model: string; apiKey?: string; fetch?: typeof fetch; timeoutMs?: number }): ChatClient {
  const doFetch = opts.fetch ?? fetch
  const url = `${opts.baseUrl.replace(/\/+$/, '')}/chat/completions`
  // A server may echo the request (its Authorization header included) in an error body: mask before it is quoted.
  const redact = createRedactor({}, opts.apiKey ? [opts.apiKey] : [])
  return {
    async complete({ content, temperature, maxTokens }) {
      const headers: Record<string, string> = { 'content-type': 'application/json' }
      if (opts.apiKey) headers.authorization = `Bearer ${opts.apiKey}`
      const res = await doFetch(url, {
        method: 'POST',
        headers,
        body: JSON.stringify({ model: opts.model, messages: [{ role: 'user', content }], max_tokens: maxTokens, temperature }),
        signal: AbortSignal.timeout(opts.timeoutMs ?? DEFAULT_JUDGE_TIMEOUT_MS),
      })
      const text = redact(await res.text())
      if (!res.ok) throw new ChatHttpError(res.status, text)
      let body: unknown
      try {
        body = JSON.parse(text)
      } catch {
        throw new Error(`chat endpoint returned a body that is not JSON: ${text.slice(0, 200)}`)
      }
      const parsed = ChatResponse.safeParse(body)
      if (!parsed.success) throw new Error(`chat endpoint returned an unexpected body: ${text.slice(0, 200)}`)
      const choice = parsed.data.choices[0]
      return { content: choice?.message.content ?? '', model: parsed.data.model ?? opts.model }
    },
  }
}
