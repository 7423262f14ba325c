#!/usr/bin/env bash
# Placeholder for `npm run demo` until the quickstart lands (owned by the demo/examples work): builds and shows the
# drainer's help.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci --no-audit --no-fund
npx tsc -b
echo "The demo (simulated TiDB cluster → drainer → local output) is not wired up yet; here is the drainer CLI:"
node packages/core/bin/drainer.js --help
