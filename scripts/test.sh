#!/usr/bin/env bash
# The whole test suite on a fresh machine: install dependencies, build, start the real servers, run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npx tsc -b
npx tsc -p tsconfig.test.json
bash scripts/services.sh up
npx vitest run --project unit --project integration "$@"
