// Prints one closing line over both suites: "tests: N passed, N failed, N skipped".
import { existsSync, readFileSync } from 'node:fs'
const [vitestJson, pytestXml] = process.argv.slice(2)
let passed = 0, failed = 0, skipped = 0
if (vitestJson && existsSync(vitestJson)) {
  const r = JSON.parse(readFileSync(vitestJson, 'utf8'))
  passed += r.numPassedTests ?? 0
  failed += (r.numFailedTests ?? 0)
  skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0)
}
if (pytestXml && existsSync(pytestXml)) {
  const x = readFileSync(pytestXml, 'utf8')
  const m = x.match(/<testsuite [^>]*>/)
  if (m) {
    const attr = (k) => Number((m[0].match(new RegExp(`${k}="(\\d+)"`)) ?? [])[1] ?? 0)
    const total = attr('tests'), fails = attr('failures') + attr('errors'), skips = attr('skipped')
    passed += total - fails - skips
    failed += fails
    skipped += skips
  }
}
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`)
