// The floor of `pixcap convert` on its input, as a whole Node process: read the JSON file, JSON.parse it, write the
// same bytes out again (atomic: temp file + rename, as pixcap writes). No conversion at all: what any Node program
// that reads this input and writes that much pays before doing anything else.
//
//   node bench/peers/floor_convert.mjs IN.json OUT_FILE
import { readFileSync, renameSync, writeFileSync } from 'node:fs'

const [input, output] = process.argv.slice(2)
if (input === undefined || output === undefined) throw new Error('usage: floor_convert.mjs IN.json OUT_FILE')
const bytes = readFileSync(input)
const doc = JSON.parse(bytes.toString('utf8'))
writeFileSync(`${output}.tmp`, bytes)
renameSync(`${output}.tmp`, output)
process.stdout.write(`${JSON.stringify({ annotations: doc.annotations.length, bytes: bytes.length })}\n`)
