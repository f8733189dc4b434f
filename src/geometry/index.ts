// Pure geometry: no fs, no sharp (STYLE.md §2; test/package.test.ts enforces it).
export * from './panoptic-map.js'
export * from './segment-geometry.js'
export * from './bbox.js'
export * from './rle-counts.js'
export * from './coco-rle.js'
export * from './prompt-shapes.js'
export * from './phash.js'
export * from './hamming-index.js'
