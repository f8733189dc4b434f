// The dataset card's YAML front matter, the part the Hub and `datasets` read (reference/ecosystem.md §4): `configs`
// with `data_files` per split, and `dataset_info.features` in the YAML shape datasets writes itself
// (datasets 5.0.1 features.py Features._to_yaml_list: a Value is `dtype: x`, a list of a Value `list: x`, a list of a
// struct `list: [fields]`, a struct `struct: [fields]`, an Image `dtype: image`). Pure: no fs.
import type { FieldSpec, FieldType } from '../records/field-spec.js'

/** A feature in datasets' YAML form. */
export type YamlFeature = { [key: string]: unknown }

/** The YAML body of one FieldType (without its name). */
export function yamlFeatureOf(type: FieldType): YamlFeature {
  switch (type.kind) {
    case 'image':
      return { dtype: 'image' }
    case 'struct':
      return { struct: type.fields.map(yamlFeatureField) }
    case 'list': {
      const inner = yamlFeatureOf(type.item)
      const keys = Object.keys(inner)
      if (keys.length === 1 && keys[0] === 'dtype') return { list: inner.dtype }
      if (keys.length === 1 && keys[0] === 'struct') return { list: inner.struct }
      return { list: inner }
    }
    default:
      return { dtype: type.kind }
  }
}

/** `{ name, ...feature }`, one entry of `dataset_info.features`. */
function yamlFeatureField(spec: FieldSpec): YamlFeature {
  return { name: spec.name, ...yamlFeatureOf(spec.type) }
}

/** The Hub's size buckets (reference/ecosystem.md §4 `size_categories`). */
export function sizeCategory(rows: number): string {
  const buckets: [number, string][] = [
    [1e3, 'n<1K'], [1e4, '1K<n<10K'], [1e5, '10K<n<100K'], [1e6, '100K<n<1M'], [1e7, '1M<n<10M'], [1e8, '10M<n<100M'],
    [1e9, '100M<n<1B'], [1e10, '1B<n<10B'], [1e11, '10B<n<100B'], [1e12, '100B<n<1T'],
  ]
  for (const [limit, name] of buckets) if (rows < limit) return name
  return 'n>1T'
}

/** One split as the card declares it. */
export interface CardSplit {
  name: string
  rows: number
  /** Data files relative to the corpus root, POSIX separators. */
  files: string[]
  bytes: number
}

/** Keys the card regenerates every time; the user's values of the others are kept (see card-merge.ts). */
export const GENERATED_KEYS = ['configs', 'dataset_info', 'size_categories'] as const

/** The front matter of a row corpus. `defaults` are only used where the existing card has no value. */
export function cardFrontMatter(o: {
  splits: readonly CardSplit[]
  fields: readonly FieldSpec[] | null
  license: string
  prettyName: string
  sourceIds: readonly string[]
}): { generated: Record<string, unknown>; defaults: Record<string, unknown> } {
  const rows = o.splits.reduce((a, s) => a + s.rows, 0)
  const generated: Record<string, unknown> = { size_categories: [sizeCategory(rows)] }
  // No row files (a document format: densecoco, vgdata): no configs, since datasets cannot load those as rows.
  if (o.splits.length === 0) return { generated, defaults: defaultsOf(o) }
  generated.configs = [
    {
      config_name: 'default',
      // Explicit file lists, not `data/<split>-*` globs: a glob for split `a` would also match split `a-b`'s shards.
      data_files: o.splits.map((s) => ({ split: s.name, path: s.files })),
    },
  ]
  if (o.fields) {
    generated.dataset_info = {
      features: o.fields.map(yamlFeatureField),
      splits: o.splits.map((s) => ({ name: s.name, num_examples: s.rows })),
      download_size: o.splits.reduce((a, s) => a + s.bytes, 0),
    }
  }
  return { generated, defaults: defaultsOf(o) }
}

function defaultsOf(o: { license: string; prettyName: string; sourceIds: readonly string[] }): Record<string, unknown> {
  return {
    pretty_name: o.prettyName,
    license: o.license,
    language: ['en'],
    task_categories: ['image-text-to-text'],
    tags: ['region-captioning', 'multimodal', 'pixcap'],
    source_datasets: [...o.sourceIds],
  }
}
