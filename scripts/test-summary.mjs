// Prints one closing line over both suites: "tests: N passed, N failed, N skipped". A test file that fails to load
// (an import or a describe body that throws) has no failed test in it, so it is counted as a failure too, and named;
// the exit code is 1 whenever anything failed.
import { existsSync, readFileSync } from 'node:fs'
import { relative } from 'node:path'
const [vitestJson, pytestXml] = process.argv.slice(2)
let passed = 0, failed = 0, skipped = 0
const failedFiles = []
if (vitestJson && existsSync(vitestJson)) {
  const r = JSON.parse(readFileSync(vitestJson, 'utf8'))
  passed += r.numPassedTests ?? 0
  failed += (r.numFailedTests ?? 0)
  skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0)
  for (const file of r.testResults ?? []) {
    const failedInside = (file.assertionResults ?? []).some((a) => a.status === 'failed')
    if (file.status === 'failed' && !failedInside) failedFiles.push(relative(process.cwd(), file.name))
  }
  // Older reporters give only the count of failed suites.
  if (failedFiles.length === 0 && (r.numFailedTestSuites ?? 0) > 0 && (r.numFailedTests ?? 0) === 0) failedFiles.push(`${r.numFailedTestSuites} suite(s)`)
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
failed += failedFiles.length
const files = failedFiles.length > 0 ? ` (${failedFiles.length} file${failedFiles.length > 1 ? 's' : ''} failed to load: ${failedFiles.join(', ')})` : ''
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped${files}`)
process.exitCode = failed > 0 ? 1 : 0
