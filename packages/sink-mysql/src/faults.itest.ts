import type { Connection } from 'mysql2/promise';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AbortedError, buildTxnBatch, createSinkContext, MysqlType, SinkError, tsoFromPhysical } from '@tidb-drainer/core/sdk';
import type { CommitTs, RowChange, Txn, TxnBatch } from '@tidb-drainer/core/sdk';
import { MysqlErrorCode } from './apply/classify-error.js';
import { MysqlSink } from './mysql-sink.js';
import { adminConnection, sinkConfig, sinkEnv, uniqueDb } from './test-support/mariadb.js';
import { ins, makeTable } from './test-support/make-table.js';

/**
 * Faults against the real MariaDB: a downstream connection killed (KILL CONNECTION from another session) or the
 * drainer aborted while a batch is half applied. A table lock held by another session parks the sink's
 * transaction at a known statement, after earlier statements of the same transaction already ran.
 */
let admin: Connection;
let locker: Connection;
const db = uniqueDb('sinkfault');
const cpSchema = `${db}_cp`;
const clusterId = BigInt(1_000_000 + Math.floor(Math.random() * 1e6));
const data = makeTable({ schema: db, name: 'data', columns: [{ name: 'id', type: MysqlType.LongLong }, { name: 'v' }], pk: ['id'], pkIsHandle: true });
const blocker = makeTable({ schema: db, name: 'blocker', columns: [{ name: 'id', type: MysqlType.LongLong }], pk: ['id'], pkIsHandle: true });
let ts = tsoFromPhysical(Date.UTC(2026, 1, 1));
const txn = (changes: readonly RowChange[]): Txn => {
  const commitTs = (ts += 1n << 18n);
  return { kind: 'txn', commitTs, startTs: commitTs - 1n, schemaVersion: 1, changes, bytes: 64 };
};
const range = (from: number, to: number): bigint[] => Array.from({ length: to - from + 1 }, (_, i) => BigInt(from + i));
const signal = new AbortController().signal;

async function count(sql: string): Promise<number> {
  const [rows] = await admin.query(sql);
  return Number((rows as { n: number | string }[])[0]?.n);
}
const insertsApplied = (): Promise<number> => count(`SELECT n FROM \`${db}\`.applied`);
const dataIds = async (): Promise<string[]> => {
  const [rows] = await admin.query(`SELECT id FROM \`${db}\`.data ORDER BY id`);
  return (rows as { id: string }[]).map((r) => String(r.id));
};

/** Waits until a session other than ours is parked on the locked `blocker` table; returns its id. */
async function blockedSession(): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const [rows] = await admin.query(
      "SELECT ID AS id FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID() AND COMMAND = 'Query' AND INFO LIKE '%`blocker`%'",
    );
    const id = (rows as { id: number }[])[0]?.id;
    if (id !== undefined) return id;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('the sink never blocked on the locked table');
}

beforeAll(async () => {
  admin = await adminConnection();
  locker = await adminConnection();
  await admin.query(`CREATE DATABASE \`${db}\``);
});

beforeEach(async () => {
  await admin.query(
    `DROP TABLE IF EXISTS \`${db}\`.data, \`${db}\`.blocker, \`${db}\`.applied;
     CREATE TABLE \`${db}\`.data (id BIGINT PRIMARY KEY, v INT);
     CREATE TABLE \`${db}\`.blocker (id BIGINT PRIMARY KEY);
     CREATE TABLE \`${db}\`.applied (n INT NOT NULL);
     INSERT INTO \`${db}\`.applied VALUES (0);
     CREATE TRIGGER \`${db}\`.count_inserts AFTER INSERT ON \`${db}\`.data FOR EACH ROW UPDATE \`${db}\`.applied SET n = n + 1;`,
  );
  await admin.query(`DROP DATABASE IF EXISTS \`${cpSchema}\``);
});

afterAll(async () => {
  await locker.query('UNLOCK TABLES').catch(() => undefined);
  await admin.query(`DROP DATABASE IF EXISTS \`${db}\``);
  await admin.query(`DROP DATABASE IF EXISTS \`${cpSchema}\``);
  await locker.end();
  await admin.end();
});

/** Starts `write` with `blocker` locked, waits until it is parked there, then runs `interrupt` and unlocks. */
async function interruptMidBatch(sink: MysqlSink, batch: TxnBatch, interrupt: (sessionId: number) => Promise<void>, writeSignal = signal): Promise<unknown> {
  await locker.query(`LOCK TABLES \`${db}\`.blocker WRITE`);
  try {
    const outcome = sink.write(batch, writeSignal).then(() => undefined, (e: unknown) => e);
    await interrupt(await blockedSession());
    return await outcome;
  } finally {
    await locker.query('UNLOCK TABLES');
  }
}

describe('default mode: a killed downstream connection', () => {
  it('rejects with a retryable SinkError and the runner-style resend of the same batch succeeds', async () => {
    const sink = new MysqlSink(sinkConfig(), sinkEnv({ workerCount: 4 }));
    await sink.open(createSinkContext());
    try {
      const batch = buildTxnBatch(1, [...range(1, 20).map((id) => txn([ins(data, { id, v: 1n })])), txn([ins(blocker, { id: 1n })])]);
      const err = await interruptMidBatch(sink, batch, (id) => admin.query(`KILL CONNECTION ${id}`).then(() => undefined));
      expect(err).toBeInstanceOf(SinkError);
      expect(err).toMatchObject({ retryable: true, code: MysqlErrorCode.Retryable });
      // Other workers' transactions committed before the kill; the resend must not trip over them.
      await sink.write(batch, signal);
    } finally {
      await sink.close();
    }
    expect(await dataIds()).toEqual(range(1, 20).map(String));
    expect(await count(`SELECT COUNT(*) AS n FROM \`${db}\`.blocker`)).toBe(1);
  });
});

describe('exactly-once: crash in the middle of a batch, then restart', () => {
  const config = sinkConfig({ 'exactly-once': true, checkpoint: { schema: cpSchema } });
  const withCheckpoint = (seq: number, txns: readonly Txn[]): TxnBatch => {
    const last = txns[txns.length - 1] as Txn;
    return buildTxnBatch(seq, txns, { commitTs: last.commitTs, schemaVersion: 1, consistent: false });
  };

  for (const how of ['kill', 'abort'] as const) {
    it(`(${how}) no statement is applied twice and the final state is the model's`, async () => {
      const first = [txn(range(1, 10).map((id) => ins(data, { id, v: 1n })))];
      const second = [
        ...range(11, 20).map((id) => txn([ins(data, { id, v: 2n })])),
        txn([ins(blocker, { id: 1n })]),
        ...range(21, 25).map((id) => txn([ins(data, { id, v: 2n })])),
      ];
      const sink = new MysqlSink(config, sinkEnv());
      await sink.open(createSinkContext({ clusterId }));
      const ac = new AbortController();
      try {
        await sink.write(withCheckpoint(1, first), signal);
        const err = await interruptMidBatch(
          sink,
          withCheckpoint(2, second),
          async (id) => {
            if (how === 'kill') await admin.query(`KILL CONNECTION ${id}`);
            else ac.abort();
          },
          ac.signal,
        );
        if (how === 'kill') expect(err).toMatchObject({ retryable: true, code: MysqlErrorCode.Retryable });
        else expect(err).toBeInstanceOf(AbortedError);
      } finally {
        await sink.close(); // the "crash": this sink instance is gone
      }
      // Nothing of the interrupted batch is visible: its transaction was rolled back with the connection.
      expect(await dataIds()).toEqual(range(1, 10).map(String));
      expect(await insertsApplied()).toBe(10);

      const restarted = new MysqlSink(config, sinkEnv());
      const ctx = createSinkContext({ clusterId });
      await restarted.open(ctx);
      try {
        const cp = await restarted.loadCheckpoint(signal);
        expect(cp?.commitTs).toBe(first[0]?.commitTs);
        // A runner resuming from an older checkpoint of its own sends everything again: applied data is skipped.
        await restarted.write(withCheckpoint(1, first), signal);
        await restarted.write(withCheckpoint(2, second), signal);
        expect((await restarted.loadCheckpoint(signal))?.commitTs).toBe(second[second.length - 1]?.commitTs);
        // A stale resend neither re-applies nor moves the checkpoint back.
        await restarted.write(withCheckpoint(3, first), signal);
        expect((await restarted.loadCheckpoint(signal))?.commitTs).toBe(second[second.length - 1]?.commitTs);
      } finally {
        await restarted.close();
      }
      expect(await dataIds()).toEqual(range(1, 25).map(String));
      expect(await insertsApplied()).toBe(25);
    });
  }

  it('default mode for contrast: the replay after a crash re-applies rows (at-least-once) yet ends in the same state', async () => {
    const txns = range(1, 10).map((id) => txn([ins(data, { id, v: 1n })]));
    const a = new MysqlSink(sinkConfig(), sinkEnv());
    await a.open(createSinkContext());
    await a.write(buildTxnBatch(1, txns), signal).finally(() => a.close());
    const last = txns[txns.length - 1]?.commitTs as CommitTs;
    const b = new MysqlSink(sinkConfig(), sinkEnv());
    await b.open(createSinkContext({ resume: { checkpoint: 0n, replaySafeUntil: last } }));
    await b.write(buildTxnBatch(1, txns), signal).finally(() => b.close());
    expect(await dataIds()).toEqual(range(1, 10).map(String));
    expect(await insertsApplied()).toBe(20);
  });
});
