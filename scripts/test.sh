#!/usr/bin/env bash
# `npm test`: the whole suite on a fresh machine. Installs dependencies, builds, type-checks the tests, starts the
# real servers (MariaDB, etcd, Kafka, schema registry; reused when already healthy), runs the unit and integration
# projects, and ends with vitest's summary plus one plain line "tests: N passed, N failed, N skipped".
# Extra arguments go to vitest (e.g. `npm test -- packages/sink-mysql`).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
SVC_DIR="${DRAINER_SERVICES_DIR:-$ROOT/.services}"
mkdir -p "$SVC_DIR" .cache
t0=$SECONDS
phase() { printf '[test] %s (%ss)\n' "$*" "$((SECONDS - t0))"; }

# Servers start in the background while npm installs and tsc builds: on a cold machine their downloads and JVM
# start-ups overlap with the build instead of adding to it.
SERVICES_LOG="$SVC_DIR/up.log"
bash scripts/services.sh up >"$SERVICES_LOG" 2>&1 &
services_pid=$!
stop_services_job() { kill "$services_pid" 2>/dev/null || true; }
trap stop_services_job EXIT

if [ ! -d node_modules ] || [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  phase "npm ci"
  npm ci --no-audit --no-fund
fi
# The test type-check reads sources through `paths`, not dist/, so it runs beside the build (2 cores).
phase "tsc -b (build) and tsc -p tsconfig.test.json (type-check tests), in parallel"
TYPECHECK_LOG=.cache/typecheck-tests.log
npx tsc -p tsconfig.test.json >"$TYPECHECK_LOG" 2>&1 &
typecheck_pid=$!
build_status=0
npx tsc -b || build_status=$?
typecheck_status=0
wait "$typecheck_pid" || typecheck_status=$?
if [ "$typecheck_status" != 0 ]; then cat "$TYPECHECK_LOG"; echo "[test] type-check of tests failed" >&2; fi
if [ "$build_status" != 0 ]; then echo "[test] build (tsc -b) failed" >&2; fi
[ "$build_status" = 0 ] && [ "$typecheck_status" = 0 ] || exit 1

# House rules (no floating promises, type-only imports, exhaustive switches, no any) are errors, not advice.
phase "eslint"
if ! npx eslint --max-warnings 0 .; then
  echo "[test] eslint failed" >&2
  exit 1
fi

phase "waiting for servers (scripts/services.sh up; log $SERVICES_LOG)"
if ! wait "$services_pid"; then
  cat "$SERVICES_LOG" >&2
  echo "[test] scripts/services.sh up failed; see the log above and .services/<name>/log" >&2
  exit 1
fi
trap - EXIT
cat "$SERVICES_LOG"

phase "vitest (unit + integration)"
REPORT=.cache/vitest-report.json
rm -f "$REPORT"
status=0
npx vitest run --project unit --project integration --reporter=default --reporter=json --outputFile.json="$REPORT" "$@" || status=$?

# One plain closing line, whatever vitest's own summary looks like.
if [ -f "$REPORT" ]; then
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
    console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
  ' "$REPORT"
fi
phase "done (exit $status)"
exit "$status"
