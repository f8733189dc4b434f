// An approximation of the tokenizer pycocoevalcap runs before scoring (tokenizer/ptbtokenizer.py, metrics.md §2):
//   java -cp stanford-corenlp-3.4.1.jar edu.stanford.nlp.process.PTBTokenizer -preserveLines -lowerCase <file>
// followed by dropping every token equal to an entry of PUNCTUATIONS and joining the rest with one space.
// No faithful JS or Python port of CoreNLP's JFlex lexer exists (metrics.md §2); docs/metrics.md lists where this one
// can differ from CoreNLP 3.4.1. Golden metric tests therefore use pre-tokenised input (tokenize: false).

/**
 * Tokens pycocoevalcap removes after tokenizing (ptbtokenizer.py PUNCTUATIONS). The comparison is case-sensitive and
 * the list is upper case, while `-lowerCase` lower-cases the escaped brackets first, so `-lrb-` survives
 * (metrics.md §2 quirk, read from CoreNLP's tokReader; unverified on the 3.4.1 jar).
 */
export const PTB_PUNCTUATIONS: ReadonlySet<string> = new Set([
  "''", "'", '``', '`', '-LRB-', '-RRB-', '-LCB-', '-RCB-', '.', '?', '!', ',', ':', '-', '--', '...', ';',
])

// PTB3 escapes for brackets (CoreNLP normalizeParentheses / normalizeOtherBrackets).
const BRACKETS: Record<string, string> = {
  '(': '-LRB-', ')': '-RRB-', '[': '-LSB-', ']': '-RSB-', '{': '-LCB-', '}': '-RCB-',
}
// CoreNLP normalizeFractions: the common vulgar fractions become ASCII (then `/` is escaped).
const FRACTIONS: Record<string, string> = { '½': '1/2', '¼': '1/4', '¾': '3/4', '⅓': '1/3', '⅔': '2/3' }
// splitAssimilations: these words become two tokens.
const ASSIMILATIONS: Record<string, [number]> = {
  cannot: [3], gonna: [3], gotta: [3], wanna: [3], lemme: [3], gimme: [3],
}
// Abbreviations kept with their period (a small subset of PTBLexer's list; see docs/metrics.md).
const ABBREVIATIONS = new Set(['mr.', 'mrs.', 'ms.', 'dr.', 'st.', 'jr.', 'sr.', 'vs.', 'etc.', 'mt.', 'ft.', 'no.', 'approx.'])

const L = '\\p{L}\\p{M}\\p{N}_'
// One token per match, tried in this order (sticky, so the alternatives form a small lexer).
const TOKEN = new RegExp(
  [
    `(?<space>\\s+)`,
    `(?<ellipsis>\\.\\.\\.+|…|\\. \\. \\.)`,
    `(?<dashes>--+|[–—―])`,
    `(?<quote2>"|“|”|„|\`\`|''|«|»)`,
    `(?<number>\\p{N}+(?:[.,:/]\\p{N}+)+)`,
    `(?<acronym>(?:[\\p{L}]\\.){2,})`,
    // words: letters/digits with internal hyphens, ampersands, slashes, periods (3.5, www.a.com) and apostrophes
    `(?<word>[${L}]+(?:(?:[-&/*.@+]|'|’)[${L}]+)*)`,
    `(?<quote1>['‘’\`])`,
    `(?<other>[^\\s])`,
  ].join('|'),
  'uy',
)

/** PTB tokens of one line, before lower-casing and punctuation removal. */
export function ptbTokens(line: string): string[] {
  const out: string[] = []
  let text = line.replace(/&amp;/g, '&')
  text = text.replace(/[½¼¾⅓⅔]/g, (c) => FRACTIONS[c] as string)
  TOKEN.lastIndex = 0
  let m: RegExpExecArray | null
  while ((m = TOKEN.exec(text)) !== null) {
    const g = m.groups as Record<string, string | undefined>
    if (g.space !== undefined) continue
    if (g.ellipsis !== undefined) out.push('...')
    else if (g.dashes !== undefined) out.push('--')
    else if (g.quote2 !== undefined) out.push(opensQuote(text, m.index) ? '``' : "''")
    else if (g.acronym !== undefined) out.push(g.acronym)
    else if (g.word !== undefined) pushWord(out, g.word, text, TOKEN)
    else if (g.quote1 !== undefined) out.push(opensQuote(text, m.index) ? '`' : "'")
    else if (g.number !== undefined) out.push(g.number)
    else out.push(BRACKETS[g.other as string] ?? (g.other as string))
  }
  return out.map(escapeSlashStar)
}

// A quote opens at the start, after whitespace or after an opening bracket (PTBLexer's context rule, simplified).
function opensQuote(text: string, at: number): boolean {
  return at === 0 || /[\s([{]/u.test(text[at - 1] as string)
}

function pushWord(out: string[], word: string, text: string, re: RegExp): void {
  // A known abbreviation keeps its period ("st." in "main st.").
  if (text[re.lastIndex] === '.' && ABBREVIATIONS.has(`${word.toLowerCase()}.`)) {
    out.push(`${word}.`)
    re.lastIndex++
    return
  }
  const w = word.replace(/’/g, "'")
  const lower = w.toLowerCase()
  const assim = ASSIMILATIONS[lower]
  if (assim) {
    out.push(w.slice(0, assim[0]), w.slice(assim[0]))
    return
  }
  // Contractions: "don't" -> "do n't", "can't" -> "ca n't", "it's" -> "it 's", "we're" -> "we 're".
  const nt = /^(.+)(n't)$/i.exec(w)
  if (nt) {
    out.push(nt[1] as string, nt[2] as string)
    return
  }
  const clitic = /^(.+)('(?:s|re|ve|d|ll|m))$/i.exec(w)
  if (clitic) {
    out.push(clitic[1] as string, clitic[2] as string)
    return
  }
  out.push(w)
}

// PTB3 escaping: `/` and `*` are backslash-escaped (CoreNLP escapeForwardSlashAsterisk).
function escapeSlashStar(token: string): string {
  return token.replace(/[/*]/g, (c) => `\\${c}`)
}

/** One caption as pycocoevalcap's PTBTokenizer leaves it: lower-cased tokens without PUNCTUATIONS, space-joined. */
export function ptbTokenize(caption: string): string {
  // ptbtokenizer.py replaces embedded newlines with a space before writing one caption per line.
  const tokens = ptbTokens(caption.replace(/\n/g, ' '))
  const kept: string[] = []
  for (const t of tokens) {
    const lower = t.toLowerCase()
    if (!PTB_PUNCTUATIONS.has(lower)) kept.push(lower)
  }
  return kept.join(' ')
}
