// Failpoints for crash tests (issue 17): with PIXCAP_FAILPOINT=<name>, the process announces on stderr that it reached
// <name> and then waits forever, so a test can SIGKILL it at exactly that moment (a real kill of a real process,
// without racing a timer). Unset, a failpoint is one string comparison.
const ARMED = process.env.PIXCAP_FAILPOINT

/** The line a test waits for on stderr. */
function failpointLine(name: string): string {
  return `pixcap: failpoint ${name} reached`
}

/** Stops here forever when PIXCAP_FAILPOINT names this point. */
export async function failpoint(name: string): Promise<void> {
  if (ARMED === undefined || ARMED !== name) return
  process.stderr.write(`${failpointLine(name)}\n`)
  await new Promise<never>(() => {
    setInterval(() => {}, 1 << 30)
  })
}
