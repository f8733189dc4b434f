// Transient Hub failures are retried with exponential backoff, as huggingface_hub's http_backoff does
// (huggingface_hub 1.33 utils/_http.py: statuses 408, 429, 500, 502, 503, 504 and network errors; wait 1 s, doubling,
// at most 8 s; 5 retries; a numeric `Retry-After` wins). We wrap the `fetch` we hand to @huggingface/hub, so every
// request it makes (preupload, LFS batch, LFS PUT, commit, tree listing, repo creation) gets the same policy.
// Bodies are Blobs or strings (commit.ts), so a request can be sent again unchanged.

/** Statuses worth another try (huggingface_hub _DEFAULT_RETRY_ON_STATUS_CODES). */
const RETRY_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504])

/** The backoff policy. */
export interface RetryPolicy {
  maxRetries: number
  baseWaitMs: number
  maxWaitMs: number
}

/** huggingface_hub http_backoff defaults. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetries: 5, baseWaitMs: 1000, maxWaitMs: 8000 }

/** One retry, for progress output (URLs carry no token: it travels in the Authorization header only). */
export interface RetryEvent {
  kind: 'retry'
  method: string
  url: string
  attempt: number
  maxRetries: number
  /** The status that failed, or the network error's message. */
  reason: string
  waitMs: number
}

/** Seconds from a numeric Retry-After header (the date form is ignored, as huggingface_hub does). */
function retryAfterMs(res: Response): number | undefined {
  const v = res.headers.get('Retry-After')
  return v !== null && /^\d+$/.test(v.trim()) ? Number(v.trim()) * 1000 : undefined
}

function sleep(ms: number, signal: AbortSignal | null | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal?.reason)
    }
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

/** A `fetch` that retries transient failures; aborts are never retried. */
export function retryingFetch(o: { fetch?: typeof fetch; policy?: RetryPolicy; onRetry?: (e: RetryEvent) => void } = {}): typeof fetch {
  const inner = o.fetch ?? fetch
  const policy = o.policy ?? DEFAULT_RETRY_POLICY
  return async (input, init) => {
    const method = init?.method ?? 'GET'
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
    let wait = policy.baseWaitMs
    for (let attempt = 1; ; attempt++) {
      let reason: string
      let pause = wait
      try {
        const res = await inner(input, init)
        if (!RETRY_STATUSES.has(res.status) || attempt > policy.maxRetries) return res
        reason = `HTTP ${res.status}`
        pause = retryAfterMs(res) ?? wait
        await res.body?.cancel().catch(() => {})
      } catch (err) {
        if (init?.signal?.aborted || (err as Error)?.name === 'AbortError' || attempt > policy.maxRetries) throw err
        const cause = (err as { cause?: { code?: string; message?: string } }).cause
        reason = cause?.code ?? cause?.message ?? (err as Error).message
      }
      o.onRetry?.({ kind: 'retry', method, url, attempt, maxRetries: policy.maxRetries, reason, waitMs: pause })
      await sleep(pause, init?.signal)
      wait = Math.min(policy.maxWaitMs, wait * 2)
    }
  }
}
