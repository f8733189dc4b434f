// The local launcher: the bridge runs as `<python> -m pixcap_bridge ...` (or `<python> <script> ...`) on this machine.

/** argv for a local python entry. Pure. */
export function localArgv(python: string, entry: readonly string[]): string[] {
  return [python, ...entry]
}
