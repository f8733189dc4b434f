// Renders docs/bad-inputs.md's table from test/bad-inputs/cases.ts (the cases the test runs through the CLI), so the
// documented outcome of each bad input is the one the test asserts. `npx tsx scripts/bad-inputs-table.ts` prints it.
import type { BadInputCase } from '../test/bad-inputs/cases.js'

const cell = (s: string): string => s.replaceAll('|', '\\|')

/** The markdown table: id, origin (issue.finding), input, exit code, outcome. */
export function renderBadInputsTable(cases: readonly BadInputCase[]): string {
  const rows = cases.map((c) => `| \`${c.id}\` | ${c.from} | ${cell(c.what)} | ${c.outcome.exit} | ${cell(c.outcome.doc)} |`)
  return ['| case | issue | input | exit | outcome |', '|---|---|---|---|---|', ...rows].join('\n')
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { BAD_INPUT_CASES } = await import('../test/bad-inputs/cases.js')
  process.stdout.write(`${renderBadInputsTable(BAD_INPUT_CASES)}\n`)
}
