import type { Connection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MysqlCheckpointStore, mysql2SqlClient, parseJsonLossless } from '@tidb-drainer/core';
import { buildTxnBatch, createSinkContext, MysqlType, SinkError, tsoFromPhysical } from '@tidb-drainer/core/sdk';
import type { ColumnValue, CommitTs, DdlEvent, RowChange, TableInfo, Txn } from '@tidb-drainer/core/sdk';
import { canonicalRow, timeValue } from '@tidb-drainer/testkit';
import { MysqlErrorCode } from './apply/classify-error.js';
import { MysqlSink } from './mysql-sink.js';
import { adminConnection, readTables, sinkConfig, sinkEnv, uniqueDb } from './test-support/mariadb.js';
import { del, ins, makeTable, row, upd } from './test-support/make-table.js';
import type { TestColumn } from './test-support/make-table.js';

let admin: Connection;
const db = uniqueDb('sinkmysql');
const dropAfter: string[] = [db];
let ts = tsoFromPhysical(Date.UTC(2026, 0, 1));
const nextTs = (): CommitTs => (ts += 1n << 18n);
const txn = (changes: readonly RowChange[]): Txn => {
  const commitTs = nextTs();
  return { kind: 'txn', commitTs, startTs: commitTs - 1n, schemaVersion: 1, changes, bytes: 100 * changes.length };
};
const ddl = (schema: string, query: string, table?: string, jobType = 3): DdlEvent => ({
  kind: 'ddl',
  commitTs: nextTs(),
  schema,
  table,
  query,
  jobId: 1,
  jobType,
  schemaVersion: 1,
});
let seq = 0;
const batch = (txns: readonly Txn[]) => buildTxnBatch(++seq, txns);
const signal = new AbortController().signal;

async function openSink(overrides: Record<string, unknown> = {}, env = sinkEnv(), clusterId = 7n): Promise<MysqlSink> {
  const sink = new MysqlSink(sinkConfig(overrides), env);
  await sink.open(createSinkContext({ clusterId }));
  return sink;
}

async function rowsOf(table: string, order = 'id'): Promise<Record<string, unknown>[]> {
  const [rows] = await admin.query(`SELECT * FROM \`${db}\`.\`${table}\` ORDER BY ${order}`);
  return rows as Record<string, unknown>[];
}

beforeAll(async () => {
  admin = await adminConnection();
  await admin.query(`CREATE DATABASE \`${db}\``);
});

afterAll(async () => {
  for (const name of dropAfter) await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
  await admin.end();
});

describe('every column type round-trips (values and NULLs)', () => {
  const columns: [TestColumn, string][] = [
    [{ name: 'id', type: MysqlType.LongLong }, 'BIGINT NOT NULL PRIMARY KEY'],
    [{ name: 'c_tiny', type: MysqlType.Tiny }, 'TINYINT'],
    [{ name: 'c_utiny', type: MysqlType.Tiny, unsigned: true }, 'TINYINT UNSIGNED'],
    [{ name: 'c_small', type: MysqlType.Short }, 'SMALLINT'],
    [{ name: 'c_medium', type: MysqlType.Int24 }, 'MEDIUMINT'],
    [{ name: 'c_int', type: MysqlType.Long }, 'INT'],
    [{ name: 'c_uint', type: MysqlType.Long, unsigned: true }, 'INT UNSIGNED'],
    [{ name: 'c_big', type: MysqlType.LongLong }, 'BIGINT'],
    [{ name: 'c_ubig', type: MysqlType.LongLong, unsigned: true }, 'BIGINT UNSIGNED'],
    [{ name: 'c_float', type: MysqlType.Float }, 'FLOAT'],
    [{ name: 'c_double', type: MysqlType.Double }, 'DOUBLE'],
    [{ name: 'c_dec', type: MysqlType.NewDecimal }, 'DECIMAL(65,30)'],
    [{ name: 'c_dec2', type: MysqlType.NewDecimal }, 'DECIMAL(10,2)'],
    [{ name: 'c_date', type: MysqlType.Date }, 'DATE'],
    [{ name: 'c_dt', type: MysqlType.Datetime }, 'DATETIME'],
    [{ name: 'c_dt6', type: MysqlType.Datetime }, 'DATETIME(6)'],
    [{ name: 'c_ts', type: MysqlType.Timestamp }, 'TIMESTAMP(3) NULL'],
    [{ name: 'c_time', type: MysqlType.Duration }, 'TIME(4)'],
    [{ name: 'c_year', type: MysqlType.Year }, 'YEAR'],
    [{ name: 'c_char', type: MysqlType.String }, 'CHAR(10)'],
    [{ name: 'c_varchar', type: MysqlType.Varchar }, 'VARCHAR(100)'],
    [{ name: 'c_text', type: MysqlType.Blob }, 'TEXT'],
    [{ name: 'c_bin', type: MysqlType.String, binary: true }, 'BINARY(4)'],
    [{ name: 'c_varbin', type: MysqlType.VarString, binary: true }, 'VARBINARY(20)'],
    [{ name: 'c_blob', type: MysqlType.Blob, binary: true }, 'BLOB'],
    [{ name: 'c_enum', type: MysqlType.Enum, elems: ['a', 'b', 'c'] }, "ENUM('a','b','c')"],
    [{ name: 'c_set', type: MysqlType.Set, elems: ['x', 'y', 'z'] }, "SET('x','y','z')"],
    [{ name: 'c_bit', type: MysqlType.Bit }, 'BIT(10)'],
    [{ name: 'c_json', type: MysqlType.Json }, 'JSON'],
  ];
  const types = makeTable({ schema: db, name: 'types', columns: columns.map(([c]) => c), pk: ['id'], pkIsHandle: true });
  const time = timeValue;
  const full: Record<string, ColumnValue> = {
    id: 1n,
    c_tiny: -128n,
    c_utiny: 255n,
    c_small: -32768n,
    c_medium: 8388607n,
    c_int: -2147483648n,
    c_uint: 4294967295n,
    c_big: -9223372036854775808n,
    c_ubig: 18446744073709551615n,
    c_float: Math.fround(3.14),
    c_double: 2.718281828459045,
    c_dec: { kind: 'decimal', text: '-12345678901234567890123456789012345.123456789012345678901234567890', precision: 65, scale: 30 },
    c_dec2: { kind: 'decimal', text: '0.10', precision: 10, scale: 2 },
    c_date: time('date', 2024, 2, 29, 0, 0, 0, 0, 0),
    c_dt: time('datetime', 1000, 1, 1, 0, 0, 0, 0, 0),
    c_dt6: time('datetime', 9999, 12, 31, 23, 59, 59, 999999, 6),
    c_ts: time('timestamp', 2024, 3, 10, 2, 30, 0, 123000, 3),
    c_time: { kind: 'duration', nanos: -((838n * 3600n + 59n * 60n + 59n) * 1_000_000_000n), fsp: 4 },
    c_year: 2155n,
    c_char: 'ünï',
    c_varchar: "quote ' backslash \\ nul \u0000 emoji 😀",
    c_text: 'x'.repeat(1000),
    c_bin: Uint8Array.from([0, 1, 0xfe, 0xff]),
    c_varbin: Uint8Array.from([0x27, 0x5c, 0x00, 0x22]),
    c_blob: Uint8Array.from({ length: 300 }, (_, i) => i % 256),
    c_enum: { kind: 'enum', index: 3, name: 'c' },
    c_set: { kind: 'set', mask: 5n, names: ['x', 'z'] },
    c_bit: 1023n,
    c_json: { kind: 'json', value: { b: [1n, 9223372036854775807n, null], a: 'é"' }, text: '{"b": [1, 9223372036854775807, null], "a": "é\\""}' },
  };
  const nulls: Record<string, ColumnValue> = Object.fromEntries(types.columns.map((c) => [c.name, c.name === 'id' ? 2n : null]));
  const zeroes: Record<string, ColumnValue> = {
    ...nulls,
    id: 3n,
    c_date: time('date', 0, 0, 0, 0, 0, 0, 0, 0),
    c_dt: time('datetime', 0, 0, 0, 0, 0, 0, 0, 0),
    c_time: { kind: 'duration', nanos: 1_500_000n, fsp: 4 },
    c_dec2: { kind: 'decimal', text: '-99999999.99', precision: 10, scale: 2 },
    c_bit: 0n,
    c_set: { kind: 'set', mask: 0n, names: [] },
    c_varchar: '',
    c_varbin: new Uint8Array(0),
    c_json: { kind: 'json', value: null, text: 'null' },
  };

  it('writes every type and reads back the model', async () => {
    await admin.query(`CREATE TABLE \`${db}\`.types (${columns.map(([c, t]) => `\`${c.name}\` ${t}`).join(', ')})`);
    const sink = await openSink();
    try {
      await sink.write(batch([txn([ins(types, full), ins(types, nulls), ins(types, zeroes)])]), signal);
    } finally {
      await sink.close();
    }
    const state = (await readTables(admin, db))[`${db}.types`] ?? [];
    const strip = (r: Record<string, string | null>) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== null));
    const got = state.map(strip).sort((a, b) => Number(a['id']) - Number(b['id']));
    expect(got).toEqual([full, nulls, zeroes].map((v) => canonicalRow(types, row(types, v))));
  });
});

describe('the tutorial flow', () => {
  const t1 = (schema: string): TableInfo =>
    makeTable({ schema, name: 't1', columns: [{ name: 'id', type: MysqlType.Long, unsigned: true }], pk: ['id'], pkIsHandle: true });
  const clusterId = 6678715361817107733n + BigInt(Math.floor(Math.random() * 1e6));

  afterAll(async () => {
    await admin.query('DELETE FROM tidb_binlog.checkpoint WHERE clusterID = ?', [clusterId.toString()]);
  });

  for (const mode of ['default', 'exactly-once'] as const) {
    it(`CREATE DATABASE tidbtest, t1 AUTO_INCREMENT, 5 rows downstream, checkpoint row with JSON commitTS (${mode})`, async () => {
      const schema = uniqueDb('tidbtest');
      dropAfter.push(schema);
      const sink = await openSink({ 'exactly-once': mode === 'exactly-once' }, sinkEnv(), clusterId);
      const store = new MysqlCheckpointStore({ clusterId, client: mysql2SqlClient(admin) });
      let inserts: Txn | undefined;
      try {
        await sink.writeDdl(ddl(schema, `create database ${schema}`, undefined, 1), signal);
        await sink.writeDdl(ddl(schema, 'create table t1 (id int unsigned not null AUTO_INCREMENT primary key)', 't1'), signal);
        inserts = txn([1n, 2n, 3n, 4n, 5n].map((id) => ins(t1(schema), { id })));
        await sink.write(buildTxnBatch(++seq, [inserts], mode === 'exactly-once' ? { commitTs: inserts.commitTs, schemaVersion: 2, consistent: false } : undefined), signal);
        // Without exactly-once the runner saves the checkpoint through core's store, on the downstream.
        if (mode === 'default') {
          await store.open(signal);
          await store.save({ commitTs: inserts.commitTs, schemaVersion: 2, consistent: false }, signal);
        }
      } finally {
        await sink.close();
      }
      const [rows] = await admin.query(`SELECT id FROM \`${schema}\`.t1 ORDER BY id`);
      expect((rows as { id: number }[]).map((r) => r.id)).toEqual([1, 2, 3, 4, 5]);
      const [cps] = await admin.query('SELECT checkPoint FROM tidb_binlog.checkpoint WHERE clusterID = ?', [clusterId.toString()]);
      const json = parseJsonLossless((cps as { checkPoint: string }[])[0]?.checkPoint ?? '{}') as Record<string, unknown>;
      expect(json['commitTS']).toBe(inserts?.commitTs);
      expect(json['ts-map']).toEqual({});
      expect(await store.load(signal)).toMatchObject({ commitTs: inserts?.commitTs });
    });
  }
});

describe('keys, order and workers', () => {
  const kv = makeTable({ schema: db, name: 'kv', columns: [{ name: 'id', type: MysqlType.LongLong }, { name: 'v', type: MysqlType.Varchar }], pk: ['id'], pkIsHandle: true });

  beforeAll(async () => {
    await admin.query(`CREATE TABLE \`${db}\`.kv (id BIGINT PRIMARY KEY, v VARCHAR(20))`);
  });

  it('update of a primary key moves the row', async () => {
    const sink = await openSink({}, sinkEnv({ workerCount: 4 }));
    try {
      await sink.write(batch([txn([ins(kv, { id: 1n, v: 'a' }), ins(kv, { id: 2n, v: 'b' })]), txn([upd(kv, { id: 1n, v: 'a' }, { id: 100n, v: 'moved' })])]), signal);
      // PK swap through a free value, across transactions of one batch.
      await sink.write(
        batch([
          txn([upd(kv, { id: 2n, v: 'b' }, { id: 3n, v: 'b' })]),
          txn([upd(kv, { id: 100n, v: 'moved' }, { id: 2n, v: 'moved' })]),
          txn([upd(kv, { id: 3n, v: 'b' }, { id: 100n, v: 'b' })]),
        ]),
        signal,
      );
    } finally {
      await sink.close();
    }
    expect(await rowsOf('kv')).toEqual([
      { id: '2', v: 'moved' },
      { id: '100', v: 'b' },
    ]);
    await admin.query(`DELETE FROM \`${db}\`.kv`);
  });

  it('delete-then-reinsert of the same keys across 8 workers keeps per-key order (no duplicate-key errors)', async () => {
    const sink = await openSink({ 'rows-per-txn': 3 }, sinkEnv({ workerCount: 8 }));
    const ids = Array.from({ length: 60 }, (_, i) => BigInt(i + 1));
    try {
      await sink.write(batch(ids.map((id) => txn([ins(kv, { id, v: 'v1' })]))), signal);
      await sink.write(
        batch([
          ...ids.map((id) => txn([del(kv, { id, v: 'v1' })])),
          ...ids.map((id) => txn([ins(kv, { id, v: 'v2' })])),
          ...ids.filter((id) => id % 2n === 0n).map((id) => txn([del(kv, { id, v: 'v2' }), ins(kv, { id, v: 'v3' })])),
        ]),
        signal,
      );
    } finally {
      await sink.close();
    }
    const rows = await rowsOf('kv');
    expect(rows).toEqual(ids.map((id) => ({ id: id.toString(), v: id % 2n === 0n ? 'v3' : 'v2' })));
    await admin.query(`DELETE FROM \`${db}\`.kv`);
  });

  it('a table without PK/UK: duplicates, delete of one copy, update of one copy', async () => {
    await admin.query(`CREATE TABLE \`${db}\`.nokey (x INT, y VARCHAR(10))`);
    const nk = makeTable({ schema: db, name: 'nokey', columns: [{ name: 'x' }, { name: 'y', type: MysqlType.Varchar }] });
    const sink = await openSink({}, sinkEnv({ workerCount: 4 }));
    try {
      await sink.write(batch([txn([ins(nk, { x: 1n, y: null }), ins(nk, { x: 1n, y: null }), ins(nk, { x: 2n, y: 'b' })])]), signal);
      await sink.write(batch([txn([del(nk, { x: 1n, y: null })]), txn([upd(nk, { x: 2n, y: 'b' }, { x: 2n, y: 'c' })])]), signal);
    } finally {
      await sink.close();
    }
    expect(await rowsOf('nokey', 'x')).toEqual([
      { x: 1, y: null },
      { x: 2, y: 'c' },
    ]);
  });

  it('safe mode inside the replay window: re-applying applied batches gives the same state', async () => {
    const first = [txn([ins(kv, { id: 7n, v: 'a' })]), txn([upd(kv, { id: 7n, v: 'a' }, { id: 8n, v: 'b' })]), txn([ins(kv, { id: 9n, v: 'c' })])];
    const a = await openSink();
    await a.write(batch(first), signal).finally(() => a.close());
    const b = new MysqlSink(sinkConfig(), sinkEnv());
    await b.open(createSinkContext({ resume: { checkpoint: 0n, replaySafeUntil: ts } }));
    await b.write(batch(first), signal).finally(() => b.close());
    expect(await rowsOf('kv')).toEqual([
      { id: '8', v: 'b' },
      { id: '9', v: 'c' },
    ]);
    await admin.query(`DELETE FROM \`${db}\`.kv`);
  });
});

describe('downstream with fewer columns (Go drops values of columns the downstream lacks)', () => {
  it('inserts, updates and deletes using only the downstream columns', async () => {
    await admin.query(`CREATE TABLE \`${db}\`.narrow (id BIGINT PRIMARY KEY, v INT)`);
    const wide = makeTable({ schema: db, name: 'narrow', columns: [{ name: 'id', type: MysqlType.LongLong }, { name: 'v' }, { name: 'extra' }], pk: ['id'] });
    const sink = await openSink();
    try {
      await sink.write(batch([txn([ins(wide, { id: 1n, v: 1n, extra: 9n }), ins(wide, { id: 2n, v: 2n, extra: 9n })])]), signal);
      await sink.write(batch([txn([upd(wide, { id: 1n, v: 1n, extra: 9n }, { id: 1n, v: 10n, extra: 8n }), del(wide, { id: 2n, v: 2n, extra: 9n })])]), signal);
    } finally {
      await sink.close();
    }
    expect(await rowsOf('narrow')).toEqual([{ id: '1', v: 10 }]);
  });
});

describe('sync-mode 2: a column dropped downstream under a running sink', () => {
  it('unknown column (1054) is retryable, and the resend uses the refreshed column list', async () => {
    await admin.query(`CREATE TABLE \`${db}\`.shrink (id BIGINT PRIMARY KEY, v INT, extra INT)`);
    const t = makeTable({ schema: db, name: 'shrink', columns: [{ name: 'id', type: MysqlType.LongLong }, { name: 'v' }, { name: 'extra' }], pk: ['id'] });
    const sink = await openSink({ 'sync-mode': 2 });
    try {
      await sink.write(batch([txn([ins(t, { id: 1n, v: 1n, extra: 1n })])]), signal);
      await admin.query(`ALTER TABLE \`${db}\`.shrink DROP COLUMN extra`);
      const next = batch([txn([ins(t, { id: 2n, v: 2n, extra: 2n })])]);
      const err = await sink.write(next, signal).then(() => undefined, (e: unknown) => e);
      expect(err).toMatchObject({ retryable: true, code: MysqlErrorCode.Retryable, details: { errno: 1054, table: 'shrink' } });
      await sink.write(next, signal);
    } finally {
      await sink.close();
    }
    expect(await rowsOf('shrink')).toEqual([
      { id: '1', v: 1 },
      { id: '2', v: 2 },
    ]);
  });
});

describe('check', () => {
  it('reports the downstream reachable with its version, and unreachable without throwing', async () => {
    const sink = await openSink();
    const ok = await sink.check(signal).finally(() => sink.close());
    expect(ok).toEqual([{ name: 'mysql: reachable', ok: true, message: expect.stringMatching(/MariaDB/i) as unknown }]);
    const down = new MysqlSink(sinkConfig({ port: 1 }), sinkEnv());
    await down.open(createSinkContext()).catch(() => undefined);
    const bad = await down.check(signal).finally(() => down.close());
    expect(bad[0]?.ok).toBe(false);
  });
});

describe('errors', () => {
  it('a failing statement is fatal and names its table and commit ts', async () => {
    const good = makeTable({ schema: db, name: 'kv', columns: [{ name: 'id', type: MysqlType.LongLong }, { name: 'v' }], pk: ['id'] });
    const missing = makeTable({ schema: db, name: 'missing', columns: [{ name: 'id', type: MysqlType.LongLong }], pk: ['id'] });
    const sink = await openSink({}, sinkEnv({ workerCount: 1 }));
    const fine = txn([ins(good, { id: 50n, v: 'x' })]);
    const bad = txn([ins(missing, { id: 1n })]);
    const err = await sink
      .write(batch([fine, bad]), signal)
      .then(() => undefined, (e: unknown) => e)
      .finally(() => sink.close());
    expect(err).toBeInstanceOf(SinkError);
    expect(err).toMatchObject({ retryable: false, code: MysqlErrorCode.Statement, details: { schema: db, table: 'missing', commitTs: bad.commitTs, errno: 1146 } });
    // The whole transaction rolled back.
    expect(await rowsOf('kv')).toEqual([]);
  });

  it('DDL: already-exists errors are ignored, others are fatal with commit ts', async () => {
    const sink = await openSink();
    try {
      await sink.writeDdl(ddl(db, 'CREATE TABLE kv (id INT)', 'kv'), signal);
      await sink.writeDdl(ddl(db, 'ALTER TABLE kv ADD INDEX (v)', 'kv'), signal);
      await sink.writeDdl(ddl(db, 'ALTER TABLE kv ADD INDEX (v)', 'kv'), signal); // 1061 duplicate key name
      const broken = ddl(db, 'ALTER TABLE kv ADD COLUMN', 'kv');
      const err = await sink.writeDdl(broken, signal).then(() => undefined, (e: unknown) => e);
      expect(err).toMatchObject({ retryable: false, code: MysqlErrorCode.Ddl, details: { schema: db, table: 'kv', commitTs: broken.commitTs, errno: 1064 } });
    } finally {
      await sink.close();
    }
  });

  it('cannot connect: retryable on refused connection, fatal on bad credentials', async () => {
    const refused = new MysqlSink(sinkConfig({ port: 1, 'connect-timeout-ms': 2000 }), sinkEnv());
    const e1 = await refused.open(createSinkContext()).then(() => undefined, (e: unknown) => e);
    await refused.close();
    expect(e1).toMatchObject({ retryable: true, code: MysqlErrorCode.Retryable });
    const denied = new MysqlSink(sinkConfig({ user: 'no_such_user_x', password: 'nope' }), sinkEnv());
    const e2 = await denied.open(createSinkContext()).then(() => undefined, (e: unknown) => e);
    await denied.close();
    expect(e2).toMatchObject({ retryable: false, code: MysqlErrorCode.Connect, details: { errno: 1045 } });
  });
});
