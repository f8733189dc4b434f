// Panoptic segment ids from 8-bit RGB(A) pixels (id = R + 256 G + 256^2 B, panopticapi's rgb2id). Kept apart from
// panoptic-png.ts, which imports sharp: the mask workers need this, and loading sharp (native libvips, CommonJS) cost
// each of them ~140 ms of start-up for a library they use only as a fallback.

/** Converts interleaved raw pixels (3 or 4 channels, 8 bit) to segment ids. Alpha, if any, is ignored. */
export function rgbToIds(data: Uint8Array, width: number, height: number, channels: number): Uint32Array {
  const n = width * height
  const ids = new Uint32Array(n)
  for (let i = 0, p = 0; i < n; i++, p += channels) {
    ids[i] = (data[p] as number) + ((data[p + 1] as number) << 8) + ((data[p + 2] as number) << 16)
  }
  return ids
}
