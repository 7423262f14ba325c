/**
 * File sink throughput per fsync policy (MB/s and rows/s of pb binlog records written through the sink, batches as
 * the runner builds them), beside a raw sequential write of the very same bytes, in the same chunk sizes and with the
 * same fsync policy, measured in the same run (goal ≥ 0.8× raw). Also reparo restore rows/s into the real MariaDB
 * beside a raw mysql2 multi-row INSERT of the same rows. Reports, never asserts.
 *
 *   npm run bench -- file [rows]
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, open, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { buildTxnBatch, createSinkContext } from '@tidb-drainer/core/sdk';
import type { DdlEvent, Txn } from '@tidb-drainer/core/sdk';
import { BENCH_CREATE_TABLE, benchRowValues, benchTable } from './fixtures/wide-table.js';
import { FileSink, fileSinkConfigSchema, runReparoCli } from '@tidb-drainer/sink-file';
import type { FileSinkConfig } from '@tidb-drainer/sink-file';
import { testServers } from '@tidb-drainer/testkit';
import { defineBenchmark, median, row } from './lib.js';

const ROWS_PER_TXN = 4;
/** What the runner hands the file sink with its defaultBatch (1024 txns / 4 MiB). */
const TXNS_PER_BATCH = 1024;
const RAW_ROWS_PER_STATEMENT = 1000;
const ROUNDS = 3;

const BASE_TS = BigInt(Date.UTC(2026, 0, 1)) << 18n;

function workload(schema: string, rows: number): { ddl: DdlEvent[]; batches: Txn[][] } {
  const t = benchTable(schema);
  const ddl: DdlEvent[] = [
    {
      kind: 'ddl',
      commitTs: BASE_TS + 1n,
      schema,
      query: `CREATE DATABASE \`${schema}\``,
      jobId: 1,
      jobType: 1,
      schemaVersion: 1,
    },
    { kind: 'ddl', commitTs: BASE_TS + 2n, schema, table: 't', query: BENCH_CREATE_TABLE, jobId: 2, jobType: 3, schemaVersion: 2 },
  ];
  const txns: Txn[] = [];
  for (let i = 0; i < rows; i += ROWS_PER_TXN) {
    const commitTs = BASE_TS + 10n + BigInt(i);
    const changes = [];
    for (let j = i; j < Math.min(rows, i + ROWS_PER_TXN); j++)
      changes.push({ op: 'insert' as const, schema, table: 't', tableInfo: t, after: benchRowValues(j) });
    txns.push({
      kind: 'txn',
      commitTs,
      startTs: commitTs - 1n,
      schemaVersion: 2,
      changes,
      bytes: 120 * changes.length,
    });
  }
  return { ddl, batches: chunk(txns, TXNS_PER_BATCH) };
}

function chunk<T>(xs: readonly T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

type Policy = FileSinkConfig['fsync'];

/** Writes the workload through the sink; returns seconds, bytes on disk and the size of every write(2). */
async function sinkRun(
  dir: string,
  policy: Policy,
  w: ReturnType<typeof workload>,
): Promise<{ seconds: number; bytes: number; chunks: number[] }> {
  const chunks: number[] = [];
  const sink = new FileSink(
    fileSinkConfigSchema.parse({ dir, fsync: policy }),
    { timezone: 'UTC' },
    {
      openFile: async (path, flags, mode) => {
        const fh = await open(path, flags, mode);
        return {
          write: (data, offset, length, position) => {
            chunks.push(length);
            return fh.write(data, offset, length, position);
          },
          datasync: () => fh.datasync(),
          truncate: (len) => fh.truncate(len),
          close: () => fh.close(),
        };
      },
    },
  );
  const signal = new AbortController().signal;
  await sink.open(createSinkContext({ dataDir: join(dir, 'file') }));
  const t0 = performance.now();
  for (const d of w.ddl) await sink.writeDdl(d, signal);
  let seq = 0;
  // As the runner does: up to capabilities.maxInFlight writes outstanding, issued in order.
  const window: Promise<void>[] = [];
  for (const b of w.batches) {
    if (window.length >= sink.capabilities.maxInFlight) await window.shift();
    window.push(sink.write(buildTxnBatch(++seq, b), signal));
  }
  await Promise.all(window);
  await sink.close();
  const seconds = (performance.now() - t0) / 1000;
  return { seconds, bytes: chunks.reduce((a, b) => a + b, 0), chunks };
}

/** The same bytes, in the same write sizes, to one file with the same fsync policy. */
async function rawRun(path: string, data: Buffer, chunks: readonly number[], policy: Policy): Promise<number> {
  const fh = await open(path, 'wx', 0o600);
  const t0 = performance.now();
  let off = 0;
  let lastSync = performance.now();
  for (const n of chunks) {
    await fh.write(data, off, n, off);
    off += n;
    if (policy === 'batch') await fh.datasync();
    else if (policy === 'interval' && performance.now() - lastSync >= 1000) {
      await fh.datasync();
      lastSync = performance.now();
    }
  }
  if (policy !== 'none') await fh.datasync();
  await fh.close();
  return (performance.now() - t0) / 1000;
}

async function readDirBytes(dir: string): Promise<Buffer> {
  const names = (await readdir(dir)).filter((n) => n.startsWith('binlog-')).sort();
  return Buffer.concat(await Promise.all(names.map((n) => readFile(join(dir, n)))));
}

export default defineBenchmark({
  name: 'file',
  description:
    'File sink MB/s and rows/s per fsync policy (batch/interval/none) beside a raw sequential write of the same bytes with the same fsync policy (goal ≥ 0.8× raw); reparo restore rows/s into MariaDB beside raw multi-row INSERT.',
  needs: ['mysql'],
  async run(ctx) {
    const rows = Number(ctx.args[0] ?? (ctx.quick ? 4000 : 200_000));
    const schema = `bench_file_${randomBytes(4).toString('hex')}`;
    const w = workload(schema, rows);
    const out = [];
    const notes: string[] = [];
    const root = await mkdtemp(join(tmpdir(), 'bench-file-'));
    try {
      let restoreDir = '';
      // Warm-up: the first measured policy would otherwise pay for JIT compilation of the encoder.
      await sinkRun(join(root, 'warm-up'), 'none', workload(`${schema}_w`, Math.min(rows, 20_000)));
      for (const policy of ['batch', 'interval', 'none'] as const) {
        if (ctx.signal.aborted) break;
        // Median of rounds (sink, then raw, alternating): single runs of ~0.5 s drift a lot on the shared machine.
        const sinkTimes: number[] = [];
        const rawTimes: number[] = [];
        let s = { seconds: 0, bytes: 0, chunks: [] as number[] };
        const dir = join(root, policy);
        for (let round = 0; round < ROUNDS; round++) {
          await rm(dir, { recursive: true, force: true });
          s = await sinkRun(dir, policy, w);
          sinkTimes.push(s.seconds);
          const data = await readDirBytes(dir);
          const rawPath = join(root, `raw-${policy}`);
          await rm(rawPath, { force: true });
          rawTimes.push(await rawRun(rawPath, data, s.chunks, policy));
        }
        s = { ...s, seconds: median(sinkTimes) };
        const rawSeconds = median(rawTimes);
        const mb = s.bytes / 1e6;
        ctx.log(`fsync=${policy}: sink ${(mb / s.seconds).toFixed(1)} MB/s, raw ${(mb / rawSeconds).toFixed(1)} MB/s`);
        out.push(
          row(`file sink, fsync=${policy}`, mb / s.seconds, 'MB/s', {
            label: `raw write(2) of the same bytes, fsync=${policy}`,
            value: mb / rawSeconds,
          }),
        );
        out.push(row(`file sink, fsync=${policy}`, rows / s.seconds, 'rows/s'));
        if (policy === 'batch') {
          restoreDir = dir;
          notes.push(
            `${rows} rows in ${w.batches.length} batches of ≤ ${TXNS_PER_BATCH} txns × ${ROWS_PER_TXN} rows; ${mb.toFixed(1)} MB of records; ${s.chunks.length} write(2) calls`,
          );
        }
      }

      const mysql = testServers().mysql;
      const admin = await createConnection({ ...mysql, multipleStatements: true });
      try {
        const t0 = performance.now();
        let err = '';
        const code = await runReparoCli(
          [
            '--data-dir',
            restoreDir,
            '--dest-type',
            'mysql',
            '--dest-host',
            mysql.host,
            '--dest-port',
            String(mysql.port),
            '--log-level',
            'error',
          ],
          { stdout: { write: () => true }, stderr: { write: (x: string) => (err += x) }, env: {}, signal: ctx.signal },
        );
        const restoreSeconds = (performance.now() - t0) / 1000;
        if (code !== 0) throw new Error(`reparo failed: ${err}`);
        const rawDb = `${schema}_raw`;
        await admin.query(`CREATE DATABASE \`${rawDb}\``);
        await admin.query(`USE \`${rawDb}\``);
        await admin.query(BENCH_CREATE_TABLE);
        const r0 = performance.now();
        for (let i = 0; i < rows; i += RAW_ROWS_PER_STATEMENT) {
          const vals = [];
          for (let j = i; j < Math.min(rows, i + RAW_ROWS_PER_STATEMENT); j++) {
            const v = benchRowValues(j);
            const d = v[4] as { text: string };
            const t = v[6] as {
              year: number;
              month: number;
              day: number;
              hour: number;
              minute: number;
              second: number;
              microsecond: number;
            };
            const p = (n: number, k = 2): string => String(n).padStart(k, '0');
            vals.push([
              v[0],
              v[1],
              v[2],
              v[3],
              d.text,
              v[5],
              `${t.year}-${p(t.month)}-${p(t.day)} ${p(t.hour)}:${p(t.minute)}:${p(t.second)}.${p(t.microsecond / 1000, 3)}`,
              v[7],
            ]);
          }
          await admin.query('INSERT INTO t VALUES ?', [vals]);
        }
        const rawSeconds = (performance.now() - r0) / 1000;
        out.push(
          row('reparo restore into MariaDB (16 workers)', rows / restoreSeconds, 'rows/s', {
            label: `raw mysql2 multi-row INSERT (${RAW_ROWS_PER_STATEMENT}/stmt, 1 conn)`,
            value: rows / rawSeconds,
          }),
        );
        await admin.query(`DROP DATABASE IF EXISTS \`${rawDb}\``);
        await admin.query(`DROP DATABASE IF EXISTS \`${schema}\``);
      } finally {
        await admin.end();
      }
    } finally {
      await rm(root, { recursive: true, force: true });
    }
    return { rows: out, notes };
  },
});
