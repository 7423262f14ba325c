/**
 * The pump side of bench/pipeline.bench.ts, run as its own process (`node --import tsx bench/pipeline-pumps.ts
 * <rows>`): a fake TiDB status API and 3 simulated pumps preloaded with the backlog. Prints one JSON line
 * (`{hosts, api, binlogs, rows}`) and serves until its stdin ends.
 */
import { BinlogType, encodePrewriteValue } from '@tidb-drainer/core';
import type { ColumnValue, TipbBinlog } from '@tidb-drainer/core';
import { FakeTidbStatusApi, SimulatedPump, TableMutationBuilder, TidbSchemaModel, TsoAllocator, ddlBinlogsFor, tidbCol } from '@tidb-drainer/testkit';

import { CLUSTER_ID, DISTINCT_TXNS, PUMPS, ROWS_PER_TXN } from './pipeline-shape.js';

/** The child process: fake TiDB status API + 3 preloaded pumps. Prints one JSON line, lives until stdin ends. */
export async function serveMain(rows: number): Promise<void> {
  const model = new TidbSchemaModel();
  const api = new FakeTidbStatusApi({ model });
  await api.start();
  const tso = new TsoAllocator();
  const pumps: SimulatedPump[] = [];
  for (let i = 0; i < PUMPS; i++) {
    const p = new SimulatedPump({ nodeId: `bench-${i}`, clusterId: CLUSTER_ID, tso, fakeIntervalMs: 3_600_000 });
    await p.start();
    pumps.push(p);
  }
  const counts = pumps.map(() => 0);
  const commit = (pump: number, p: Omit<TipbBinlog, 'tp' | 'startTs' | 'commitTs'>): void => {
    const s = pumps[pump]?.storage;
    if (s === undefined) throw new RangeError(`no pump ${pump}`);
    const startTs = tso.next();
    s.write({ ...p, tp: BinlogType.Prewrite, startTs, commitTs: 0n });
    s.write({ tp: BinlogType.Commit, startTs, commitTs: tso.next(), ddlJobId: p.ddlJobId, ddlSchemaState: p.ddlSchemaState });
    counts[pump] = (counts[pump] ?? 0) + 1;
  };
  const jobs = [
    model.createDatabase('bench'),
    model.createTable('bench', {
      name: 'mixed',
      primaryKey: ['id'],
      columns: [
        tidbCol.bigint('id', { notNull: true }),
        tidbCol.varchar('name', 32),
        tidbCol.varchar('email', 64),
        tidbCol.int('age'),
        tidbCol.decimal('balance', 12, 2),
        tidbCol.double('score'),
        tidbCol.datetime('created', 3),
        tidbCol.tinyint('active'),
        tidbCol.enum('status', ['new', 'active', 'closed']),
        tidbCol.varchar('note', 255),
      ],
    }),
  ];
  for (const job of jobs)
    for (const b of ddlBinlogsFor(job)) commit(0, { ddlQuery: Buffer.from(b.query), ddlJobId: b.jobId, ddlSchemaState: b.schemaState });
  const table = model.modelTable('bench', 'mixed');
  const payloads: Uint8Array[] = [];
  for (let t = 0; t < DISTINCT_TXNS; t++) {
    const m = new TableMutationBuilder(table);
    for (let r = 0; r < ROWS_PER_TXN; r++) {
      const i = t * ROWS_PER_TXN + r;
      const values: ColumnValue[] = [
        BigInt(i + 1),
        `user-${i}`,
        `user${i}@example.com`,
        BigInt(18 + (i % 60)),
        { kind: 'decimal', text: `${i % 100000}.${String(i % 100).padStart(2, '0')}`, precision: 12, scale: 2 },
        (i % 1000) / 7,
        { kind: 'time', type: 'datetime', year: 2024, month: 1 + (i % 12), day: 1 + (i % 28), hour: i % 24, minute: i % 60, second: (i * 7) % 60, microsecond: (i % 1000) * 1000, fsp: 3 },
        BigInt(i % 2),
        { kind: 'enum', index: 1 + (i % 3), name: ['new', 'active', 'closed'][i % 3] ?? 'new' },
        i % 5 === 0 ? null : `note ${i} `.repeat(3),
      ];
      m.insert(values);
    }
    payloads.push(encodePrewriteValue({ schemaVersion: BigInt(model.schemaVersion), mutations: [m.build()] }));
  }
  const txns = Math.ceil(rows / ROWS_PER_TXN);
  for (let t = 0; t < txns; t++) commit(t % PUMPS, { prewriteValue: payloads[t % DISTINCT_TXNS], ddlJobId: 0n, ddlSchemaState: 0 });
  // A fake above everything on every pump, so the merge can release the last transactions.
  pumps.forEach((p, i) => {
    p.writeFake();
    counts[i] = (counts[i] ?? 0) + 1;
  });
  process.stdout.write(`${JSON.stringify({ hosts: pumps.map((p) => p.host), api: api.address, binlogs: counts, rows: txns * ROWS_PER_TXN })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => process.exit(0));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await serveMain(Number(process.argv[2] ?? 1_000_000));
}
