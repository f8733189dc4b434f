// Every whole-process case, in the order `npm run bench` runs them (after the in-process stages). A new case is one
// file plus one line here.
import type { WholeProcessCase } from './case.js'
import { convertCase } from './convert.js'
import { helpCase, versionCase } from './startup.js'
import { verifyMasksCase } from './verify-masks.js'

export const WHOLE_PROCESS_CASES: WholeProcessCase[] = [versionCase, helpCase, convertCase, verifyMasksCase]
