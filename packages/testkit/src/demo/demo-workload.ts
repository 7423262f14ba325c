import type { ColumnValue, RowValues } from '@tidb-drainer/core/codec';
import type { TidbColumnSpec } from '../tidb-api/column-spec.js';
import { tidbCol } from '../tidb-api/column-spec.js';
import type { TidbTableSpec } from '../tidb-api/table-spec.js';
import { mulberry32 } from '../encoder/mulberry32.js';

/** The schema every demo table lives in. */
export const DEMO_SCHEMA = 'demo_shop';

/** One row change of the plan, by table name and primary key (values are built when the step is written). */
export type DemoRowOp =
  | { readonly op: 'insert'; readonly table: string; readonly values: RowValues }
  | { readonly op: 'update'; readonly table: string; readonly before: RowValues; readonly after: RowValues }
  | { readonly op: 'delete'; readonly table: string; readonly values: RowValues };

/** One upstream transaction of the demo: a DDL job or a DML transaction over one or more tables. */
export type DemoStep =
  | { readonly kind: 'create-database'; readonly name: string }
  | { readonly kind: 'create-table'; readonly spec: TidbTableSpec; readonly sql: string }
  | { readonly kind: 'add-column'; readonly table: string; readonly column: TidbColumnSpec }
  | { readonly kind: 'dml'; readonly ops: readonly DemoRowOp[] };

/** What the workload writes, counted the way the summary reports it. */
export interface DemoExpectation {
  /** DML transactions (DDL jobs are counted in `ddls` only). */
  readonly txns: number;
  readonly ddls: number;
  readonly rows: number;
  /** `schema.table` → row changes by kind. */
  readonly tables: Readonly<Record<string, { insert: number; update: number; delete: number }>>;
}

export interface DemoWorkloadOptions {
  /** DML transactions to write (the DDLs come on top). */
  readonly txns?: number;
  /** Seed of the deterministic generator: the same seed always yields the same plan. */
  readonly seed?: number;
}

/** Enough to show every kind of change across three tables while finishing in a few seconds. */
const DEFAULT_TXNS = 60;

const customersSpec: TidbTableSpec = {
  name: 'customers',
  columns: [
    tidbCol.bigint('id', { notNull: true }),
    tidbCol.varchar('name', 64),
    tidbCol.decimal('balance', 12, 2),
    tidbCol.datetime('created_at'),
  ],
  primaryKey: ['id'],
};
const ordersSpec: TidbTableSpec = {
  name: 'orders',
  columns: [
    tidbCol.bigint('id', { notNull: true }),
    tidbCol.bigint('customer_id'),
    tidbCol.enum('status', ['new', 'paid', 'shipped']),
    tidbCol.decimal('amount', 10, 2),
    tidbCol.timestamp('placed_at', 3),
    tidbCol.json('meta'),
  ],
  primaryKey: ['id'],
};
const eventsSpec: TidbTableSpec = {
  name: 'events',
  columns: [
    tidbCol.bigint('id', { notNull: true }),
    tidbCol.varchar('kind', 16),
    tidbCol.double('score'),
    tidbCol.blob('payload'),
    tidbCol.date('day'),
  ],
  primaryKey: ['id'],
};
const tierColumn = tidbCol.varchar('tier', 16);
const STATUSES = ['new', 'paid', 'shipped'] as const;

/** Seeded, so the plan (and so the expected counts) is reproducible. */
const prng = mulberry32;

const dec = (cents: number, scale: number, precision: number): ColumnValue => {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents)
    .toString()
    .padStart(scale + 1, '0');
  return { kind: 'decimal', text: `${sign}${abs.slice(0, -scale)}.${abs.slice(-scale)}`, precision, scale };
};
const time = (type: 'date' | 'datetime' | 'timestamp', i: number, fsp: number): ColumnValue => ({
  kind: 'time',
  type,
  year: 2024,
  month: 1 + (i % 12),
  day: 1 + (i % 28),
  hour: type === 'date' ? 0 : i % 24,
  minute: type === 'date' ? 0 : (i * 7) % 60,
  second: type === 'date' ? 0 : (i * 13) % 60,
  microsecond: fsp > 0 ? (i * 1000) % 1_000_000 : 0,
  fsp,
});

const json = (channel: string, items: number): ColumnValue => ({
  kind: 'json',
  value: { channel, items: BigInt(items) },
  text: `{"channel": "${channel}", "items": ${items}}`,
});

/**
 * The demo's upstream history: create the schema and three tables (integers, strings, DECIMAL, DATETIME,
 * TIMESTAMP(3), ENUM, JSON, DOUBLE, BLOB, DATE), then DML transactions mixing inserts, updates and deletes over
 * one to three tables, with an `ADD COLUMN` half-way after which rows carry the new column.
 */
export function planDemoWorkload(options: DemoWorkloadOptions = {}): DemoStep[] {
  const txns = options.txns ?? DEFAULT_TXNS;
  const rand = prng(options.seed ?? 20_240_101);
  const pick = (n: number): number => Math.floor(rand() * n);
  const steps: DemoStep[] = [
    { kind: 'create-database', name: DEMO_SCHEMA },
    {
      kind: 'create-table',
      spec: customersSpec,
      sql: 'CREATE TABLE customers (id bigint PRIMARY KEY, name varchar(64), balance decimal(12,2), created_at datetime)',
    },
    {
      kind: 'create-table',
      spec: ordersSpec,
      sql: "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint, status enum('new','paid','shipped'), amount decimal(10,2), placed_at timestamp(3), meta json)",
    },
    {
      kind: 'create-table',
      spec: eventsSpec,
      sql: 'CREATE TABLE events (id bigint PRIMARY KEY, kind varchar(16), score double, payload blob, day date)',
    },
  ];
  // Live rows per table (id → values), so updates and deletes always hit a row that exists.
  const live = new Map<string, Map<bigint, ColumnValue[]>>([
    ['customers', new Map()],
    ['orders', new Map()],
    ['events', new Map()],
  ]);
  let nextId = 1;
  let tierAdded = false;
  const newRow = (table: string, i: number): ColumnValue[] => {
    const id = BigInt(nextId++);
    switch (table) {
      case 'customers': {
        const row: ColumnValue[] = [
          id,
          `customer-${id}`,
          dec(pick(1_000_000) - 200_000, 2, 12),
          time('datetime', i, 0),
        ];
        if (tierAdded) row.push(pick(2) === 0 ? 'gold' : 'basic');
        return row;
      }
      case 'orders': {
        const s = pick(STATUSES.length);
        return [
          id,
          BigInt(1 + pick(nextId)),
          { kind: 'enum', index: s + 1, name: STATUSES[s] ?? 'new' },
          dec(pick(100_000), 2, 10),
          time('timestamp', i, 3),
          json(pick(2) === 0 ? 'web' : 'app', 1 + pick(5)),
        ];
      }
      default:
        return [
          id,
          pick(2) === 0 ? 'click' : 'view',
          rand() * 100,
          Uint8Array.of(pick(256), pick(256), 0),
          time('date', i, 0),
        ];
    }
  };
  const tables = ['customers', 'orders', 'events'] as const;
  for (let i = 0; i < txns; i++) {
    if (i === Math.floor(txns / 2)) {
      steps.push({ kind: 'add-column', table: 'customers', column: tierColumn });
      tierAdded = true;
      for (const row of live.get('customers')?.values() ?? []) row.push(null);
    }
    const ops: DemoRowOp[] = [];
    const changes = 1 + pick(4);
    for (let c = 0; c < changes; c++) {
      const table = tables[pick(tables.length)] ?? 'events';
      const rows = live.get(table) ?? new Map<bigint, ColumnValue[]>();
      const ids = [...rows.keys()];
      const roll = pick(10);
      const id = ids[pick(ids.length)];
      const existing = id === undefined ? undefined : rows.get(id);
      if (roll < 6 || id === undefined || existing === undefined) {
        const values = newRow(table, i);
        rows.set(values[0] as bigint, values);
        ops.push({ op: 'insert', table, values: [...values] });
      } else if (roll < 9) {
        const after = [...existing];
        // Change the second column (a name, a customer id, a kind): stays within its type.
        after[1] =
          typeof existing[1] === 'string'
            ? `${existing[1]}'`
            : typeof existing[1] === 'bigint'
              ? existing[1] + 1n
              : (existing[1] ?? null);
        ops.push({ op: 'update', table, before: [...existing], after: [...after] });
        rows.set(id, after);
      } else {
        ops.push({ op: 'delete', table, values: [...existing] });
        rows.delete(id);
      }
    }
    steps.push({ kind: 'dml', ops });
  }
  return steps;
}

/** Counts what a plan writes: DML transactions, DDLs, and row changes per `schema.table` and kind. */
export function expectDemoWorkload(steps: readonly DemoStep[]): DemoExpectation {
  const tables: Record<string, { insert: number; update: number; delete: number }> = {};
  let ddls = 0;
  let txns = 0;
  let rows = 0;
  for (const s of steps) {
    if (s.kind !== 'dml') {
      ddls++;
      continue;
    }
    txns++;
    for (const op of s.ops) {
      const key = `${DEMO_SCHEMA}.${op.table}`;
      const t = (tables[key] ??= { insert: 0, update: 0, delete: 0 });
      t[op.op]++;
      rows++;
    }
  }
  return { txns, ddls, rows, tables };
}
