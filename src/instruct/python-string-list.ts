// Reads a module-level Python list of string literals (`NAME = ['...', "..." "...", ...]`) from source text without
// evaluating anything: a small tokenizer for exactly the literal grammar such lists use (Python reference manual,
// "Lexical analysis" §2.4.1 string literals, §2.4.2 implicit concatenation). Supports ' and " quotes, triple
// quotes, r/u prefixes, escapes (\n \t \\ \' \" \xhh \uXXXX \UXXXXXXXX \ooo, backslash-newline), comments, line
// continuations and a trailing comma. Anything else (f-strings, names, calls, + concatenation) is refused with
// the line and column, since it would need evaluation.
import { PixcapError } from '../errors.js'

/** Line and column (1-based) of an offset. */
function lineCol(src: string, at: number): string {
  const before = src.slice(0, at)
  const line = before.split('\n').length
  return `line ${line}, column ${at - before.lastIndexOf('\n')}`
}

const SIMPLE_ESCAPES: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' }

/** Decodes the escapes of a non-raw string body (Python semantics; unknown escapes keep their backslash). */
function unescape(body: string, fail: (offset: number, why: string) => never): string {
  let out = ''
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string
    if (c !== '\\') {
      out += c
      continue
    }
    const e = body[i + 1]
    if (e === undefined) fail(i, 'string ends with a lone backslash')
    if (e === '\n') {
      i++ // backslash-newline: line continuation inside the string
    } else if (e in SIMPLE_ESCAPES) {
      out += SIMPLE_ESCAPES[e]
      i++
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8
      const hex = body.slice(i + 2, i + 2 + n)
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(hex)) fail(i, `escape \\${e} needs ${n} hex digits, found "${hex}"`)
      out += String.fromCodePoint(parseInt(hex, 16))
      i += 1 + n
    } else if (/[0-7]/.test(e)) {
      const oct = /^[0-7]{1,3}/.exec(body.slice(i + 1))?.[0] ?? e
      out += String.fromCodePoint(parseInt(oct, 8))
      i += oct.length
    } else if (e === 'N') {
      fail(i, 'named escapes (\\N{...}) are not supported; write the character itself')
    } else {
      out += `\\${e}` // Python keeps unknown escapes verbatim
      i++
    }
  }
  return out
}

/**
 * Returns the strings of the module-level list assigned to `name` (e.g. `FINAL_QUESTIONS`). Adjacent literals are
 * concatenated, as Python does. `file` names the source in errors, with `[name, index]` as the path.
 */
export function readPythonStringList(src: string, name: string, file: string): string[] {
  const assign = new RegExp(`^${name}\\s*(?::[^=\\n]*)?=\\s*\\[`, 'm').exec(src)
  if (assign === null) throw new PixcapError('not_found', file, [name], `no module-level assignment "${name} = [" found`)
  const items: string[] = []
  let pos = assign.index + assign[0].length
  let current: string | null = null // the item being built from adjacent literals
  const fail = (at: number, why: string): never => {
    throw new PixcapError('schema', file, [name, items.length], `${lineCol(src, at)}: ${why}`)
  }
  for (;;) {
    const c = src[pos]
    if (c === undefined) fail(pos, `unterminated list "${name}": expected "]"`)
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f') {
      pos++
    } else if (c === '\\' && (src[pos + 1] === '\n' || src.slice(pos + 1, pos + 3) === '\r\n')) {
      pos += src[pos + 1] === '\n' ? 2 : 3
    } else if (c === '#') {
      const nl = src.indexOf('\n', pos)
      pos = nl === -1 ? src.length : nl
    } else if (c === ']') {
      if (current !== null) items.push(current)
      return items
    } else if (c === ',') {
      if (current === null) fail(pos, items.length === 0 ? 'expected a string literal before ","' : 'two commas in a row')
      items.push(current as string)
      current = null
      pos++
    } else {
      const lit = /^([rRuU]{0,2})('''|"""|'|")/.exec(src.slice(pos, pos + 5))
      if (lit === null || /[uU].*[rR]|[rR].*[uU]|[uU]{2}|[rR]{2}/.test(lit[1] ?? '')) {
        const found = src.slice(pos, pos + 20).split('\n')[0]
        fail(pos, `expected a string literal, found ${JSON.stringify(found)}; only plain string literals can be read without evaluating the file`)
      }
      const [, prefix = '', quote = ''] = lit as RegExpExecArray
      const raw = /r/i.test(prefix)
      const start = pos + prefix.length + quote.length
      let i = start
      for (;;) {
        const ch = src[i]
        if (ch === undefined) fail(pos, 'unterminated string literal')
        if (ch === '\\') {
          i += 2
          continue
        }
        if (quote.length === 1 && ch === '\n') fail(pos, 'unterminated string literal (newline inside a single-quoted string)')
        if (src.startsWith(quote, i)) break
        i++
      }
      const body = src.slice(start, i)
      const value = raw ? body : unescape(body, (off, why) => fail(start + off, why))
      current = (current ?? '') + value
      pos = i + quote.length
    }
  }
}
