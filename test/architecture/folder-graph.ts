// The folder graph of a cruise (src/<folder>/... -> src/<folder>/...) and its cycles (strongly connected components
// with more than one folder). No vitest import: scripts can print it too.

/** The part of dependency-cruiser's module output this reads. */
export interface CruisedModule {
  source: string
  dependencies: { resolved: string }[]
}

/** `src/io/png/x.ts` -> `io`; root files (`src/errors.ts`) are their own node; undefined outside src/. */
function folderOf(path: string): string | undefined {
  const m = /^src\/([^/]+)/.exec(path)
  if (!m) return undefined
  return m[1]!.replace(/\.ts$/, '')
}

/** Edges between different folders, with one example import per edge. `src/index.ts` (the public API) is left out. */
export function folderEdges(modules: readonly CruisedModule[]): Map<string, Map<string, string>> {
  const edges = new Map<string, Map<string, string>>()
  for (const m of modules) {
    if (m.source === 'src/index.ts') continue
    const from = folderOf(m.source)
    if (from === undefined) continue
    for (const d of m.dependencies) {
      const to = folderOf(d.resolved)
      if (to === undefined || to === from) continue
      const out = edges.get(from) ?? new Map<string, string>()
      if (!out.has(to)) out.set(to, `${m.source} -> ${d.resolved}`)
      edges.set(from, out)
    }
  }
  return edges
}

/** Folder cycles: each strongly connected component of more than one folder, sorted (Tarjan). */
export function folderCycles(edges: Map<string, Map<string, string>>): string[][] {
  let index = 0
  const idx = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const on = new Set<string>()
  const out: string[][] = []
  const nodes = new Set<string>([...edges.keys(), ...[...edges.values()].flatMap((m) => [...m.keys()])])
  const visit = (v: string): void => {
    idx.set(v, index)
    low.set(v, index++)
    stack.push(v)
    on.add(v)
    for (const w of edges.get(v)?.keys() ?? []) {
      if (!idx.has(w)) {
        visit(w)
        low.set(v, Math.min(low.get(v)!, low.get(w)!))
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!))
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = []
      let w: string
      do {
        w = stack.pop()!
        on.delete(w)
        scc.push(w)
      } while (w !== v)
      if (scc.length > 1) out.push(scc.sort())
    }
  }
  for (const v of [...nodes].sort()) if (!idx.has(v)) visit(v)
  return out
}
