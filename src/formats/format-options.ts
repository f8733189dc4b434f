// Each format validates its own `ctx.options` once per options object (contexts are shared across images).
import { z } from 'zod'
import { PixcapError } from '../errors.js'

/** Returns a parser for a format's options that caches by object identity and names the bad option on error. */
export function optionsParser<S extends z.ZodType<Record<string, unknown>>>(format: string, schema: S): (raw: Record<string, unknown>) => z.infer<S> {
  const cache = new WeakMap<object, z.infer<S>>()
  return (raw) => {
    const hit = cache.get(raw)
    if (hit !== undefined) return hit
    const parsed = schema.safeParse(raw)
    if (!parsed.success) {
      const iss = parsed.error.issues[0]
      const path = (iss?.path ?? []).filter((k): k is string | number => typeof k !== 'symbol')
      throw new PixcapError('schema', `${format} options`, path, iss?.message ?? 'invalid options')
    }
    cache.set(raw, parsed.data)
    return parsed.data
  }
}
