// Writes python-bridge/pixcap_bridge/schemas/region-qa.schema.json from src/schemas/region-qa.ts (the one declaration
// of the question and answer lines). Run `npx tsx scripts/region-qa-schema.ts` after changing the zod schema.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { regionQaJsonSchemaText } from '../src/schemas/region-qa.js'

export const REGION_QA_SCHEMA_FILE = join(fileURLToPath(new URL('..', import.meta.url)), 'python-bridge/pixcap_bridge/schemas/region-qa.schema.json')

writeFileSync(REGION_QA_SCHEMA_FILE, regionQaJsonSchemaText())
