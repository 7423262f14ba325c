import { allTypesTableSpec, tidbCol } from '@tidb-drainer/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from './support/drainer-process.js';
import type { DrainerProcess } from './support/drainer-process.js';
import { E2eRig } from './support/e2e-rig.js';
import { normalizeRows } from './support/e2e-workload.js';
import { foldJsonl, recordIdentity } from './support/jsonl-state.js';

/**
 * Issue 5, end to end: 2 simulated pumps registered in the real etcd, a DDL + DML workload over tables holding every
 * column type (pk-is-handle, clustered and `_tidb_rowid` tables), idle periods with fake binlogs → the `drainer`
 * command as a child process (pumps and cluster id from PD's etcd) → the `jsonl` sink. The output folded into table
 * state equals the workload's model exactly; kill -9 mid-stream and a restart resume from the savepoint with nothing
 * lost, and every record written twice lies inside the replay window the restarted drainer logs.
 */
describe('e2e: simulator → drainer process → jsonl', () => {
  const rig = new E2eRig();
  const DB = 'e2e';
  const ALL = [`${DB}.t_handle`, `${DB}.t_clustered`, `${DB}.t_rowid`, `${DB}.small`];

  beforeAll(async () => {
    await rig.start({ pumps: 2, seed: 5150 });
  });
  afterAll(async () => {
    await rig.close();
  });

  it('output equals the model; kill -9 and restart resume from the checkpoint, replaying only inside the window', async () => {
    const { model, workload: w } = rig;
    const dml = async (n: number, tables: readonly string[] = ALL): Promise<void> => {
      for (let i = 0; i < n; i++) await w.dml(tables, 1 + (i % 6));
    };
    const live = (d: DrainerProcess) => ({ alive: () => d.running, diagnostics: () => d.diagnostics });

    // A backlog before the drainer exists: schema and rows.
    await w.ddl(model.createDatabase(DB), DB);
    await w.ddl(model.createTable(DB, allTypesTableSpec('t_handle', 'handle')), DB, 't_handle');
    await w.ddl(model.createTable(DB, allTypesTableSpec('t_clustered', 'clustered')), DB, 't_clustered');
    await w.ddl(model.createTable(DB, allTypesTableSpec('t_rowid', 'rowid')), DB, 't_rowid');
    const smallSpec = {
      name: 'small',
      columns: [tidbCol.bigint('id', { notNull: true }), tidbCol.varchar('v', 20)],
      primaryKey: ['id'],
    };
    await w.ddl(model.createTable(DB, smallSpec), DB, 'small');
    await dml(20);

    const first = await rig.startDrainer('run1');
    // Live traffic with schema changes while it runs.
    await dml(15);
    await w.ddl(model.addColumn(DB, 'small', tidbCol.int('n', { notNull: true, default: '7' })), DB, 'small');
    await w.ddl(model.addColumn(DB, 'small', tidbCol.varchar('extra', 16)), DB, 'small');
    await dml(15);
    const beforeIdle = w.lastCommitTs;

    // Idle: only fake binlogs arrive; they must carry the savepoint past the last transaction.
    const idleCp = await waitUntil(
      'the savepoint to pass the last transaction while idle',
      async () => {
        const cp = await rig.savepoint();
        return cp !== undefined && cp.commitTs > beforeIdle ? cp : undefined;
      },
      live(first),
    );
    expect(idleCp.consistent).toBe(false); // a running drainer's savepoint is never "consistent"
    expect(rig.outputTs()).toBe(beforeIdle);

    // More traffic, then kill -9 as soon as the drainer wrote all of it (before the next periodic save, typically).
    await dml(15);
    const beforeKill = w.lastCommitTs;
    await waitUntil(
      'run 1 to write the txns before the kill',
      () => (rig.outputTs() >= beforeKill ? true : undefined),
      live(first),
    );
    expect(await first.kill9()).toBe('SIGKILL');
    const writtenByRun1 = rig.records().length;
    const crashedCp = await rig.savepoint();
    expect(crashedCp?.consistent).toBe(false);

    // While it is down: more DDL (DROP COLUMN writes two DDL binlogs, TRUNCATE renews the table id) and a backlog.
    await w.ddl(model.dropColumn(DB, 'small', 'v'), DB, 'small');
    await dml(5);
    await w.ddl(model.truncateTable(DB, 't_rowid'), DB, 't_rowid');
    await w.ddl(model.createTable(DB, allTypesTableSpec('t_late', 'handle')), DB, 't_late');
    await dml(10, [...ALL, `${DB}.t_late`]);

    const second = await rig.startDrainer('run2');
    const opened = await waitUntil(
      'run 2 to open its sink',
      () => second.logRecords('sink opened')[0] as { checkpoint: string; replaySafeUntil: string } | undefined,
      live(second),
    );
    const resumedFrom = BigInt(opened.checkpoint);
    const replaySafeUntil = BigInt(opened.replaySafeUntil);
    expect(resumedFrom).toBe(crashedCp?.commitTs);
    expect(replaySafeUntil).toBeGreaterThanOrEqual(beforeKill); // everything run 1 may have written is in the window
    await dml(10, [...ALL, `${DB}.t_late`]);
    const last = w.lastCommitTs;
    await waitUntil('run 2 to catch up', () => (rig.outputTs() >= last ? true : undefined), live(second));
    expect(await second.stop(), second.diagnostics).toBe(0);
    const finalCp = await rig.savepoint();
    expect(finalCp?.consistent).toBe(true);
    expect(finalCp?.commitTs).toBeGreaterThanOrEqual(last);

    // The output folded into table state equals the model exactly (values, NULLs, defaults of added columns).
    const records = rig.records();
    const fold = rig.foldOptions();
    const got = foldJsonl(records, fold);
    const want = w.expected();
    expect([...got.keys()].filter((t) => (got.get(t)?.size ?? 0) > 0).sort()).toEqual(
      [...want.keys()].filter((t) => (want.get(t)?.size ?? 0) > 0).sort(),
    );
    for (const [table, rows] of want) {
      const info = w.tableInfo(table);
      const mine = normalizeRows(got.get(table) ?? new Map<string, never>(), info);
      expect(mine.size, table).toBe(rows.size);
      for (const [key, row] of rows) expect(mine.get(key), `${table} ${key}`).toEqual(row);
    }

    // DDL in commit order, each job once (replays aside); the DeleteOnly step of DROP COLUMN is not a DDL record.
    const ddlOrder: number[] = [];
    for (const r of records) if (r.type === 'ddl' && !ddlOrder.includes(r.jobId)) ddlOrder.push(r.jobId);
    expect(ddlOrder).toEqual(w.ddlJobIds);

    // Nothing lost: every DML transaction reached the output.
    const seenTs = new Set(records.map((r) => r.commitTs));
    expect(w.dmlCommits.filter((ts) => !seenTs.has(ts))).toEqual([]);

    // Replays only inside the window: a record written twice lies after the checkpoint run 2 resumed from and at or
    // below the replay-safe point it logged; nothing at or below the checkpoint is written twice.
    // A record's identity: the change, its commit ts and its place in its transaction (a txn may touch a key twice);
    // places restart where run 2 took over the file.
    const ids: string[] = [];
    let prevTs = -1n;
    let place = 0;
    records.forEach((r, i) => {
      place = r.commitTs === prevTs && i !== writtenByRun1 ? place + 1 : 0;
      prevTs = r.commitTs;
      ids.push(`${recordIdentity(r, fold.keyColumns)} #${place}`);
    });
    const counts = new Map<string, { ts: bigint; n: number }>();
    records.forEach((r, i) => {
      const id = ids[i] ?? '';
      const c = counts.get(id) ?? { ts: r.commitTs, n: 0 };
      c.n++;
      counts.set(id, c);
    });
    const replayed = [...counts.values()].filter((c) => c.n > 1);
    expect(replayed.filter((c) => c.n > 2)).toEqual([]);
    expect(replayed.filter((c) => !(c.ts > resumedFrom && c.ts <= replaySafeUntil))).toEqual([]);
    // What run 1 wrote after its last savepoint is exactly what run 2 wrote again.
    const afterCp = records.slice(0, writtenByRun1).filter((r) => r.commitTs > resumedFrom);
    expect(replayed.length).toBe(afterCp.length);
  }, 90_000);
});
