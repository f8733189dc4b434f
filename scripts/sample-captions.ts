// Caption text for the bundled sample (scripts/make-sample.ts): Pix2Cap-style descriptions built from a segment's
// colour, category, shape, position in the picture and its nearest neighbour. Pure: same input, same words.

/** What a caption knows about one thing segment. */
export interface ThingFacts {
  colour: string
  name: string
  shape: 'rect' | 'ellipse' | 'triangle'
  /** Box centre, as fractions of the image size. */
  cx: number
  cy: number
  onGrass: boolean
}

const SHAPE_WORDS: Record<ThingFacts['shape'], string> = {
  rect: 'a neat rectangular',
  ellipse: 'a smooth rounded',
  triangle: 'a sharp triangular',
}

/** "upper left", "centre", "lower right": the ninth of the picture a point falls in. */
export function positionWords(cx: number, cy: number): string {
  const v = cy < 1 / 3 ? 'upper' : cy < 2 / 3 ? 'middle' : 'lower'
  const h = cx < 1 / 3 ? 'left' : cx < 2 / 3 ? 'centre' : 'right'
  if (v === 'middle' && h === 'centre') return 'centre'
  if (v === 'middle') return `middle ${h}`
  return h === 'centre' ? `${v} centre` : `${v} ${h}`
}

/** "just left of the yellow kite": where a thing sits relative to another, by the larger offset. */
export function relationWords(a: ThingFacts, b: ThingFacts): string {
  const dx = b.cx - a.cx
  const dy = b.cy - a.cy
  const other = `the ${b.colour} ${b.name}`
  if (Math.abs(dx) >= Math.abs(dy)) return dx > 0 ? `a little to the left of ${other}` : `a little to the right of ${other}`
  return dy > 0 ? `just above ${other}` : `just below ${other}`
}

/** A description of one thing, about 20 to 28 words (Pix2Cap-COCO averages 22.94). */
export function describeThing(t: ThingFacts, nearest: ThingFacts | undefined): string {
  const where = t.onGrass ? 'rests on the green grass' : 'hangs against the pale sky'
  const relation = nearest === undefined ? 'with nothing else close to it' : relationWords(t, nearest)
  return `${article(t.colour, true)} ${t.colour} ${t.name} with ${SHAPE_WORDS[t.shape]} outline ${where} in the ${positionWords(t.cx, t.cy)} part of the picture, ${relation}.`
}

/** "A" or "An" (or lower case) before a word. */
export function article(word: string, capital = false): string {
  const a = /^[aeiou]/i.test(word) ? 'an' : 'a'
  return capital ? `${a[0]?.toUpperCase()}${a.slice(1)}` : a
}

/** A description of the sky (stuff) naming what is in front of it. */
export function describeSky(inFront: ThingFacts[]): string {
  const names = inFront.map((t) => `the ${t.colour} ${t.name}`)
  const behind = names.length === 0 ? 'with nothing in front of it' : `behind ${joinAnd(names)}`
  return `A clear, pale blue sky without any clouds fills the upper part of the picture down to the horizon, ${behind}.`
}

/** A description of the grass (stuff) counting what rests on it. */
export function describeGrass(onIt: ThingFacts[]): string {
  const count = ['no objects', 'one object', 'two objects', 'three objects', 'four objects', 'five objects', 'six objects']
  return (
    `A flat stretch of short green grass covers the lower part of the picture below the horizon, ` +
    `evenly lit, with ${count[Math.min(onIt.length, 6)]} lying on it.`
  )
}

function joinAnd(items: string[]): string {
  if (items.length <= 1) return items.join('')
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`
}
