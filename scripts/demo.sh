#!/usr/bin/env bash
# `npm run demo`: the quickstart. A simulated TiDB cluster (2 pumps on loopback gRPC, a fake TiDB status API, a static
# pump list instead of etcd) writes a small workload with DDL; the real drainer pipeline replicates it into the file
# sink (or jsonl) in a temp dir, with live progress and a summary. No external server. Options: `npm run demo -- -h`.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ]; then
  echo "Installing dependencies (npm ci)…" >&2
  npm ci --no-audit --no-fund >&2
fi
echo "Building (tsc -b)…" >&2
npx tsc -b >&2
exec node packages/testkit/dist/demo/demo-cli.js "$@"
