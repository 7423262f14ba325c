import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsoToDate } from '@tidb-drainer/core';
import type { DemoSummary } from './run-demo.js';

/** The summary as JSON (commit ts as decimal strings: they do not fit a JS number). */
export function demoSummaryJson(s: DemoSummary): string {
  return JSON.stringify(s, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2);
}

/** True when the sink acknowledged exactly what the workload wrote (txns, DDLs, rows per table and kind). */
export function demoMatchesWorkload(s: DemoSummary): boolean {
  const e = s.expected;
  const d = s.delivered;
  if (e.txns !== d.txns || e.ddls !== d.ddls || e.rows !== d.rows) return false;
  const keys = new Set([...Object.keys(e.tables), ...Object.keys(d.tables)]);
  for (const k of keys) {
    const a = e.tables[k];
    const b = d.tables[k];
    if (a === undefined || b === undefined) return false;
    if (a.insert !== b.insert || a.update !== b.update || a.delete !== b.delete) return false;
  }
  return true;
}

/** The human summary printed at the end of `npm run demo`. */
export function formatDemoSummary(s: DemoSummary, cwd = process.cwd()): string {
  const d = s.delivered;
  const e = s.expected;
  const out: string[] = [];
  const ok = demoMatchesWorkload(s);
  out.push('');
  out.push(
    `Done in ${(s.elapsedMs / 1000).toFixed(1)} s — ${ok ? 'everything the workload wrote was replicated' : 'MISMATCH between workload and output'}.`,
  );
  out.push('');
  out.push(
    `  upstream       2 simulated pumps (${s.pumps.join(', ')}), fake TiDB status API, static pump list (no etcd)`,
  );
  out.push(
    `  sink           ${s.sink}${s.fallbackReason === undefined ? '' : ` (file sink unavailable: ${s.fallbackReason})`}`,
  );
  out.push(`  transactions   ${d.txns} replicated / ${e.txns} written`);
  out.push(`  DDLs           ${d.ddls} replicated / ${e.ddls} written (CREATE DATABASE, 3 × CREATE TABLE, ADD COLUMN)`);
  out.push(`  rows           ${d.rows} replicated / ${e.rows} written`);
  const keys = [...new Set([...Object.keys(e.tables), ...Object.keys(d.tables)])].sort();
  const width = Math.max(...keys.map((k) => k.length), 5);
  for (const k of keys) {
    const t = d.tables[k] ?? { insert: 0, update: 0, delete: 0 };
    const total = t.insert + t.update + t.delete;
    out.push(
      `    ${k.padEnd(width)}  ${String(total).padStart(4)} rows (${t.insert} inserts, ${t.update} updates, ${t.delete} deletes)`,
    );
  }
  out.push(
    `  checkpoint     commit ts ${s.checkpointTs} (${tsoToDate(s.checkpointTs).toISOString()}), ` +
      `${s.consistent ? 'consistent (clean stop)' : 'not consistent'}`,
  );
  out.push('');
  const rel = (p: string): string => (relative(cwd, p).startsWith('..') ? p : relative(cwd, p) || '.');
  out.push(`Output in ${s.dir}`);
  for (const f of s.outputFiles) out.push(`  ${rel(f.path)}  (${f.bytes} bytes)`);
  out.push(`  ${rel(s.checkpointFile)}  (the drainer's checkpoint, Go drainer format)`);
  out.push('');
  out.push('Inspect it:');
  const first = s.outputFiles[0]?.path;
  if (s.sink === 'jsonl' && first !== undefined) {
    out.push(`  head -n 5 ${first}                      # one JSON object per row change or DDL`);
    out.push(`  grep '"table":"orders"' ${first} | grep -vc '"type":"ddl"'   # row changes of one table`);
  } else {
    // reparo ships with the file sink (packages/sink-file/bin); the same relative path from src/ and dist/.
    const reparo = rel(fileURLToPath(new URL('../../../sink-file/bin/reparo.js', import.meta.url)));
    out.push(`  ls -l ${s.outputDir}/binlog     # the Go drainer's binlog files (magic, length, pb_binlog, CRC-32C)`);
    out.push(`  node ${reparo} --data-dir ${s.outputDir}/binlog --dest-type print 2>/dev/null | head   # decode them`);
    out.push('  npm run demo -- --sink jsonl    # the same run with JSON lines instead');
  }
  out.push(`  cat ${s.checkpointFile}`);
  out.push(`  rm -rf ${s.dir}                 # when done`);
  return out.join('\n');
}
