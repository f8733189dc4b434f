import { describe, expect, it } from 'vitest'
import { ptbTokenize, ptbTokens } from '../../src/metrics/ptb-tokenize.js'

// Expected outputs follow the PTB conventions CoreNLP documents (metrics.md §2); see docs/metrics.md for where this
// approximation can differ from the 3.4.1 jar.
const cases = [
  { name: 'lower case, final period removed', input: 'A man riding a horse.', want: 'a man riding a horse' },
  { name: "n't split", input: "The dog doesn't move", want: 'the dog does n\'t move' },
  { name: "can't -> ca n't", input: "I can't see", want: "i ca n't see" },
  { name: "won't -> wo n't", input: "It won't stop", want: "it wo n't stop" },
  { name: "'s split and kept", input: "The man's hat", want: "the man 's hat" },
  { name: "'re / 'll / 've", input: "We're here, they'll go, I've seen", want: "we 're here they 'll go i 've seen" },
  { name: 'curly apostrophe', input: 'the cat’s toy', want: "the cat 's toy" },
  { name: 'plural possessive quote dropped', input: "the dogs' bowls", want: 'the dogs bowls' },
  { name: 'double quotes dropped', input: 'a sign that says "stop"', want: 'a sign that says stop' },
  { name: 'brackets survive as -lrb- (quirk)', input: 'a dog (brown) runs', want: 'a dog -lrb- brown -rrb- runs' },
  { name: 'square brackets -lsb-', input: 'a [red] car', want: 'a -lsb- red -rsb- car' },
  { name: 'commas, colons, semicolons, ?!', input: 'cats, dogs; birds: yes? no!', want: 'cats dogs birds yes no' },
  { name: 'hyphenated words stay whole', input: 'a t-shirt and a well-known man', want: 'a t-shirt and a well-known man' },
  { name: 'dashes removed', input: 'a man -- or a woman — walks', want: 'a man or a woman walks' },
  { name: 'ellipsis removed', input: 'and then... nothing…', want: 'and then nothing' },
  { name: 'slash and star escaped', input: 'and/or 5*3', want: 'and\\/or 5\\*3' },
  { name: 'numbers keep decimals and thousands', input: 'it costs 3.50 or 1,000 dollars', want: 'it costs 3.50 or 1,000 dollars' },
  { name: 'cannot / gonna split', input: 'I cannot, gonna go', want: 'i can not gon na go' },
  { name: 'abbreviation keeps period', input: 'on main st. today', want: 'on main st. today' },
  { name: 'acronym', input: 'in the U.S. now', want: 'in the u.s. now' },
  { name: 'newline becomes a space', input: 'two\nlines', want: 'two lines' },
  { name: 'whitespace collapses', input: '  a \t  cat  ', want: 'a cat' },
  { name: '&amp; entity', input: 'salt &amp; pepper', want: 'salt & pepper' },
  { name: 'empty caption', input: '', want: '' },
  { name: 'only punctuation', input: '...!?', want: '' },
]

describe('ptbTokenize', () => {
  it.each(cases)('$name', ({ input, want }) => expect(ptbTokenize(input)).toBe(want))

  it('emits upper-case PTB escapes before lower-casing', () => {
    expect(ptbTokens('(a) "b"')).toEqual(['-LRB-', 'a', '-RRB-', '``', 'b', "''"])
  })
})
