// A whole-process comparison: the pixcap command a user types and the peers (what a researcher would write instead,
// and floors such as "read + parse + write the same bytes"), each timed as a child process from spawn to exit, so
// start-up, module loading and teardown count as they do in a shell, a Makefile or a Slurm array.
import type { BenchContext } from '../stage.js'

/** One program to time: argv[0] is the executable. `label` names it in the table; `script` is the file it runs. */
export interface TimedCommand {
  label: string
  argv: string[]
  /** The script a peer runs, relative to the repository root (the README table names it). */
  script?: string
  /** Run before every timed run (e.g. remove the previous output), not timed. */
  before?: () => Promise<void>
  /** Checks a run's stdout; throws when the output shows it did not do the work (wrong counts, failure). */
  check?: (stdout: string) => void
}

/** What a case runs: pixcap first, then its peers; `ratioTo` names the peer the headline ratio is taken against. */
interface WholeProcessPlan {
  /** Items one run processes; read after the runs (a check may learn it from pixcap's output). */
  items: () => number
  unit: string
  pixcap: TimedCommand
  peers: TimedCommand[]
  /** Removes what prepare made that the next case does not need. */
  cleanup?: () => Promise<void>
  /** Facts that qualify the figures (scale, what a peer leaves out). */
  notes?: string[]
}

export interface WholeProcessCase {
  name: string
  prepare(ctx: BenchContext): Promise<WholeProcessPlan>
}
