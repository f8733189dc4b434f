// sharp, loaded on first use: loading it (libvips and its bindings) costs ~75 ms of start-up on the bench machine,
// which commands that never touch a photo (validate without --images-dir, convert without pictures) should not pay.
type SharpModule = typeof import('sharp')

let loading: Promise<SharpModule['default']> | undefined

/** The sharp constructor, imported once per thread on the first call. */
export function loadSharp(): Promise<SharpModule['default']> {
  loading ??= import('sharp').then((m) => m.default)
  return loading
}
