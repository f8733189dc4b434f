// The reader's per-image table (`images[]` by id, and which image already has its annotation), kept in typed arrays.
// Annotations are joined to images by image_id (pix2cap.md §3), so every image must stay known for the whole pass:
// with a Map of objects that cost ~160 bytes of V8 heap per image (entry object, file-name string, two Map slots),
// ~100 MB at 5M regions, and V8 sizes its heap in proportion to what stays live, so peak RSS grew with the corpus
// (docs/speed.md). Here an image costs ~70 bytes outside the JS heap: an open-addressing hash of slot numbers, one
// column per field, and the file names UTF-8 encoded end to end in one byte pool.

/** A validated `images[]` entry as the reader needs it. */
export interface ImageEntry {
  /** Position in `images[]` (for messages). */
  index: number
  imagePath: string
  width: number
  height: number
}

const EMPTY = -1
const INITIAL_SLOTS = 1024

/** Mixes an integer id (up to 2^53) into 32 bits. */
function hashId(id: number): number {
  const low = id | 0
  const high = (id / 4294967296) | 0
  let h = Math.imul(low ^ Math.imul(high, 0x85ebca6b), 0x9e3779b1)
  h ^= h >>> 15
  return Math.imul(h, 0x2c1b3c6d) ^ (h >>> 12)
}

function grown<T extends Int32Array | Float64Array>(a: T, length: number): T {
  const b = new (a.constructor as new (n: number) => T)(length)
  b.set(a)
  return b
}

/** Images by integer id, in insertion order; ids must be integers (the raw schema checks that before insertion). */
export class ImageTable {
  private buckets = new Int32Array(INITIAL_SLOTS * 2).fill(EMPTY)
  private ids = new Float64Array(INITIAL_SLOTS)
  private indexes = new Int32Array(INITIAL_SLOTS)
  /** Float64: the raw schema admits any safe integer, and a size must not wrap silently. */
  private widths = new Float64Array(INITIAL_SLOTS)
  private heights = new Float64Array(INITIAL_SLOTS)
  /** Index of the image's first annotation, or EMPTY. */
  private annotations = new Int32Array(INITIAL_SLOTS)
  /** End of each file name in `pool` (its start is the previous slot's end). */
  private pathEnds = new Int32Array(INITIAL_SLOTS)
  private pool = Buffer.allocUnsafe(INITIAL_SLOTS * 24)
  private poolUsed = 0
  private count = 0

  get size(): number {
    return this.count
  }

  /** The slot of `id`, or EMPTY. */
  private find(id: number): number {
    const mask = this.buckets.length - 1
    for (let b = hashId(id) & mask; ; b = (b + 1) & mask) {
      const slot = this.buckets[b]!
      if (slot === EMPTY || this.ids[slot] === id) return slot
    }
  }

  private place(id: number, slot: number): void {
    const mask = this.buckets.length - 1
    let b = hashId(id) & mask
    while (this.buckets[b] !== EMPTY) b = (b + 1) & mask
    this.buckets[b] = slot
  }

  /** Adds an image; false (and nothing changes) when its id is already in the table. */
  add(id: number, entry: ImageEntry): boolean {
    if (this.find(id) !== EMPTY) return false
    const slot = this.count
    if (slot === this.ids.length) this.growColumns(slot * 2)
    // Load factor <= 1/2 keeps probe runs short.
    if ((slot + 1) * 2 > this.buckets.length) this.rehash(this.buckets.length * 2)
    this.ids[slot] = id
    this.indexes[slot] = entry.index
    this.widths[slot] = entry.width
    this.heights[slot] = entry.height
    this.annotations[slot] = EMPTY
    const bytes = Buffer.byteLength(entry.imagePath)
    if (this.poolUsed + bytes > this.pool.length) {
      const pool = Buffer.allocUnsafe(Math.max(this.pool.length * 2, this.poolUsed + bytes))
      this.pool.copy(pool, 0, 0, this.poolUsed)
      this.pool = pool
    }
    this.poolUsed += this.pool.write(entry.imagePath, this.poolUsed)
    this.pathEnds[slot] = this.poolUsed
    this.place(id, slot)
    this.count++
    return true
  }

  private growColumns(length: number): void {
    this.ids = grown(this.ids, length)
    this.indexes = grown(this.indexes, length)
    this.widths = grown(this.widths, length)
    this.heights = grown(this.heights, length)
    this.annotations = grown(this.annotations, length)
    this.pathEnds = grown(this.pathEnds, length)
  }

  private rehash(buckets: number): void {
    this.buckets = new Int32Array(buckets).fill(EMPTY)
    for (let slot = 0; slot < this.count; slot++) this.place(this.ids[slot]!, slot)
  }

  /** The image with this id (a fresh object per call), or undefined. */
  get(id: number): ImageEntry | undefined {
    const slot = this.find(id)
    if (slot === EMPTY) return undefined
    return { index: this.indexes[slot]!, imagePath: this.pathOf(slot), width: this.widths[slot]!, height: this.heights[slot]! }
  }

  private pathOf(slot: number): string {
    return this.pool.toString('utf8', slot === 0 ? 0 : this.pathEnds[slot - 1]!, this.pathEnds[slot]!)
  }

  /** Index of the annotation already joined to image `id`, or undefined. */
  annotationOf(id: number): number | undefined {
    const slot = this.find(id)
    return slot === EMPTY || this.annotations[slot] === EMPTY ? undefined : this.annotations[slot]
  }

  /** Records that annotations[`annotationIndex`] is image `id`'s (the image must be in the table). */
  setAnnotation(id: number, annotationIndex: number): void {
    const slot = this.find(id)
    if (slot === EMPTY) throw new Error(`image table: no image ${id}`)
    this.annotations[slot] = annotationIndex
  }

  /** Images that no annotation was joined to, in `images[]` order. */
  *withoutAnnotation(): Generator<{ id: number; index: number }> {
    for (let slot = 0; slot < this.count; slot++) {
      if (this.annotations[slot] === EMPTY) yield { id: this.ids[slot]!, index: this.indexes[slot]! }
    }
  }
}
