#!/usr/bin/env bash
# Runs every test: the TypeScript suite (vitest) and the Python bridge's suite (pytest), then prints one
# closing line "tests: N passed, N failed, N skipped". Sets up the Python venv first (scripts/setup-python.sh).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
mkdir -p .test-results
bash scripts/setup-python.sh || { echo "python venv setup failed" >&2; exit 1; }
export PIXCAP_PYTHON="$root/.venv/bin/python"
npm run -s build || exit 1
npx vitest run --reporter=default --reporter=json --outputFile.json=.test-results/vitest.json "$@"
vitest_rc=$?
py_rc=0
if [ $# -eq 0 ] && [ -d python-bridge/tests ]; then
  (cd python-bridge && PYTHONPATH=. "$PIXCAP_PYTHON" -m pytest -q tests --junitxml="$root/.test-results/pytest.xml")
  py_rc=$?
  [ $py_rc -eq 5 ] && py_rc=0 # no tests collected is not a failure of the suite
fi
node scripts/test-summary.mjs .test-results/vitest.json .test-results/pytest.xml
summary_rc=$? # non-zero also when a test file failed to load (no failed test inside it)
[ $vitest_rc -eq 0 ] && [ $py_rc -eq 0 ] && [ $summary_rc -eq 0 ]
