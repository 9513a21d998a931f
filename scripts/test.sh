#!/usr/bin/env bash
# The project's test command (`npm test`): system packages, typecheck, then every test tier
# (unit and integration: real nats-server, websockets, DuckDB and headless Chromium).
# The vitest JSON report is written to test-artifacts/report.json; the last line printed is
# `N passed, N failed` taken from it.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh --test || exit 1
mkdir -p test-artifacts
echo "== typecheck"
npx tsc -p tsconfig.json --noEmit || { echo "typecheck failed"; echo "0 passed, 1 failed"; exit 1; }
echo "== tests"
npx vitest run --reporter=default --reporter=json --outputFile.json=test-artifacts/report.json "$@"
status=$?
node -e '
  const r = JSON.parse(require("fs").readFileSync("test-artifacts/report.json", "utf8"));
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""));
' || { echo "0 passed, 1 failed"; exit 1; }
exit $status
