// A minimal OpenAI-compatible chat-completions client (POST {baseUrl}/chat/completions). Any compatible endpoint
// works (OpenAI, Azure via its OpenAI-compatible /openai/v1 route, vLLM, a local test server). The key is sent in a
// header only and never logged.
import { z } from 'zod'

/** What the grader needs from a chat model. */
export interface ChatClient {
  complete(request: { content: string; temperature: number; maxTokens: number }): Promise<{ content: string; model: string }>
}

const ChatResponse = z.looseObject({
  model: z.string().optional(),
  choices: z.array(z.looseObject({ message: z.looseObject({ content: z.string().nullable() }) })).min(1),
})

/** An HTTP failure from the endpoint (status and a short body excerpt; the key is never included). */
export class ChatHttpError extends Error {
  constructor(readonly status: number, body: string) {
    super(`chat endpoint answered HTTP ${status}: ${body.slice(0, 200)}`)
    this.name = 'ChatHttpError'
  }
}

/** Creates a client for an OpenAI-compatible endpoint. `fetch` is injectable for tests and proxies. */
export function createChatClient(opts: { baseUrl: string; model: string; apiKey?: string; fetch?: typeof fetch; timeoutMs?: number }): ChatClient {
  const doFetch = opts.fetch ?? fetch
  const url = `${opts.baseUrl.replace(/\/+$/, '')}/chat/completions`
  return {
    async complete({ content, temperature, maxTokens }) {
      const headers: Record<string, string> = { 'content-type': 'application/json' }
      if (opts.apiKey) headers.authorization = `Bearer ${opts.apiKey}`
      const res = await doFetch(url, {
        method: 'POST',
        headers,
        body: JSON.stringify({ model: opts.model, messages: [{ role: 'user', content }], max_tokens: maxTokens, temperature }),
        signal: AbortSignal.timeout(opts.timeoutMs ?? 120_000),
      })
      const text = await res.text()
      if (!res.ok) throw new ChatHttpError(res.status, text)
      const parsed = ChatResponse.safeParse(JSON.parse(text))
      if (!parsed.success) throw new Error(`chat endpoint returned an unexpected body: ${text.slice(0, 200)}`)
      const choice = parsed.data.choices[0]
      return { content: choice?.message.content ?? '', model: parsed.data.model ?? opts.model }
    },
  }
}
