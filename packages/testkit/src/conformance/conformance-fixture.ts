import type { ColumnValue, CommitTs, DdlEvent, RowChange, RowValues, TableInfo, TimeValue, Txn } from '@tidb-drainer/core/sdk';
import { tsoFromPhysical } from '@tidb-drainer/core/sdk';
import { createTableSql, EVENTS_COLUMNS, fixtureTable, ORDERS_COLUMNS } from './fixture-tables.js';

export interface ConformanceFixture {
  readonly schema: string;
  readonly tables: { readonly orders: TableInfo; readonly events: TableInfo; readonly ordersV2: TableInfo };
  /** DDL and transactions in strictly increasing commit-ts order: 2 CREATE TABLEs, DML, an ADD COLUMN, more DML. */
  readonly events: readonly (Txn | DdlEvent)[];
  /** Index in `events` of the ADD COLUMN DDL. */
  readonly alterIndex: number;
}

/** Approximate binlog bytes per row change; only the runner's byte bounds look at it. */
const BYTES_PER_ROW = 120;
/** 2024-05-01T00:00:00Z: fixed, so runs are reproducible. */
const BASE_MS = 1_714_521_600_000;

const dt = (y: number, mo: number, d: number, h: number, mi: number, s: number, us: number, fsp: number, type: TimeValue['type'] = 'datetime'): TimeValue => ({
  kind: 'time', type, year: y, month: mo, day: d, hour: h, minute: mi, second: s, microsecond: us, fsp,
});
const dec = (text: string): ColumnValue => ({ kind: 'decimal', text, precision: 10, scale: 2 });
const en = (name: 'new' | 'paid' | 'shipped'): ColumnValue => ({ kind: 'enum', index: ['new', 'paid', 'shipped'].indexOf(name) + 1, name });
const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);
/** A JSON document as TiDB hands it over: int64 members as bigint, keys sorted, TiDB's text form. */
const json = (id: bigint): ColumnValue => ({
  kind: 'json',
  value: { id, ok: true, tags: ['x', 'y'] },
  text: `{"id": ${id}, "ok": true, "tags": ["x", "y"]}`,
});

/** An `orders` row (v1 columns, plus `note` when `v2`). */
function order(id: bigint, price: string, name: string | null, status: 'new' | 'paid' | 'shipped', ratio: number, note?: string | null): RowValues {
  const row: ColumnValue[] = [
    id,
    18_446_744_073_709_551_615n - id, // unsigned BIGINT far beyond 2^53
    dec(price),
    name,
    dt(2024, 5, Number(id % 28n) + 1, 13, 14, 15, 123_456, 6),
    id % 2n === 0n ? bytes(0, 255, Number(id)) : null,
    en(status),
    ratio,
    id === 3n ? null : json(id),
  ];
  if (note !== undefined) row.push(note);
  return row;
}

function event(k1: string, k2: bigint, note: string | null, n: bigint, tags: readonly string[]): RowValues {
  const mask = tags.reduce((m, t) => m | (1n << BigInt(['a', 'b', 'c'].indexOf(t))), 0n);
  return [
    k1,
    k2,
    dt(2024, 1, 2, 3, 4, 5, 678_000, 3, 'timestamp'),
    { kind: 'duration', nanos: -(((25n * 60n + 7n) * 60n + 9n) * 1_000_000_000n), fsp: 0 },
    { kind: 'set', mask, names: tags },
    note,
    n,
  ];
}

/**
 * A small deterministic workload over two tables (every value variant of the model except FLOAT/BIT/YEAR):
 * inserts, updates (including a primary-key change), deletes, delete+re-insert of one key inside a transaction,
 * a run of single-row transactions whose order decides the end state, and an ADD COLUMN in the middle.
 */
export function conformanceFixture(options: { readonly schema?: string; readonly baseTs?: CommitTs } = {}): ConformanceFixture {
  const schema = options.schema ?? 'conformance';
  let ts = options.baseTs ?? tsoFromPhysical(BASE_MS);
  const next = (): CommitTs => (ts += 1n << 18n);
  const orders = fixtureTable({ id: 101, schema, name: 'orders', columns: ORDERS_COLUMNS, pk: ['id'], schemaVersion: 1 });
  const events = fixtureTable({ id: 102, schema, name: 'events', columns: EVENTS_COLUMNS, pk: ['k1', 'k2'], schemaVersion: 2 });
  const ordersV2 = fixtureTable({
    id: 101,
    schema,
    name: 'orders',
    columns: [...ORDERS_COLUMNS, { name: 'note', type: 15, typeText: 'varchar(20)', length: 20 }],
    pk: ['id'],
    schemaVersion: 3,
  });

  const ins = (t: TableInfo, after: RowValues): RowChange => ({ op: 'insert', schema, table: t.name, tableInfo: t, after });
  const upd = (t: TableInfo, before: RowValues, after: RowValues): RowChange => ({ op: 'update', schema, table: t.name, tableInfo: t, before, after });
  const del = (t: TableInfo, before: RowValues): RowChange => ({ op: 'delete', schema, table: t.name, tableInfo: t, before });
  const txn = (changes: RowChange[], schemaVersion: number): Txn => {
    const commitTs = next();
    return { kind: 'txn', commitTs, startTs: commitTs - 5n, schemaVersion, changes, bytes: changes.length * BYTES_PER_ROW };
  };
  const ddl = (t: TableInfo, query: string, jobType: number, jobId: number): DdlEvent => ({
    kind: 'ddl', commitTs: next(), schema, table: t.name, query, jobId, jobType, schemaVersion: t.schemaVersion, tableInfo: t,
  });

  const out: (Txn | DdlEvent)[] = [];
  out.push(ddl(orders, createTableSql(orders), 3, 1001));
  out.push(ddl(events, createTableSql(events), 3, 1002));
  out.push(txn([
    ins(orders, order(1n, '10.50', 'alpha', 'new', 0.5)),
    ins(orders, order(2n, '-3.25', 'beta', 'new', 1.25)),
    ins(orders, order(3n, '0.00', null, 'paid', 2)),
    ins(orders, order(4n, '99999999.99', 'délta ✓', 'new', -0.75)),
    ins(orders, order(5n, '1.00', 'epsilon', 'shipped', 3.5)),
    ins(events, event('a', 1n, 'first', 10n, ['a'])),
    ins(events, event('a', 2n, null, 20n, ['a', 'c'])),
    ins(events, event('b', 1n, "it's", 30n, [])),
  ], 2));
  out.push(txn([
    upd(orders, order(1n, '10.50', 'alpha', 'new', 0.5), order(1n, '11.75', 'alpha', 'paid', 0.5)),
    del(orders, order(2n, '-3.25', 'beta', 'new', 1.25)),
    upd(events, event('a', 1n, 'first', 10n, ['a']), event('a', 1n, 'first!', 11n, ['a', 'b'])),
  ], 2));
  out.push(txn([
    upd(orders, order(3n, '0.00', null, 'paid', 2), order(30n, '0.00', null, 'paid', 2)),
    ins(orders, order(6n, '6.00', 'zeta', 'new', 6)),
  ], 2));
  out.push(txn([del(orders, order(6n, '6.00', 'zeta', 'new', 6)), ins(orders, order(6n, '66.00', 'zeta-2', 'paid', 6.5))], 2));
  let prev = order(4n, '99999999.99', 'délta ✓', 'new', -0.75);
  for (let i = 1; i <= 6; i++) {
    const nextRow = order(4n, '99999999.99', 'délta ✓', 'new', i * 0.25);
    out.push(txn([upd(orders, prev, nextRow)], 2));
    prev = nextRow;
  }
  const alterIndex = out.length;
  out.push(ddl(ordersV2, 'ALTER TABLE `orders` ADD COLUMN `note` varchar(20) NULL', 5, 1003));
  out.push(txn([
    ins(ordersV2, order(7n, '7.77', 'eta', 'new', 7, 'after-ddl')),
    upd(ordersV2, order(1n, '11.75', 'alpha', 'paid', 0.5, null), order(1n, '11.75', 'alpha', 'shipped', 0.5, 'noted')),
  ], 3));
  out.push(txn([del(events, event('b', 1n, "it's", 30n, [])), ins(events, event('c', 3n, 'new key', 40n, ['c']))], 3));
  return { schema, tables: { orders, events, ordersV2 }, events: out, alterIndex };
}
