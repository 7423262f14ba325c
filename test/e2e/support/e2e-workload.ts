import fc from 'fast-check';
import { ActionType, encodePrewriteValue } from '@tidb-drainer/core';
import type { ColumnValue, TableInfo, TableMutation } from '@tidb-drainer/core';
import { TableMutationBuilder, ddlBinlogsFor } from '@tidb-drainer/testkit';
import type { TidbJobJson, TidbSchemaModel, WorkloadDriver } from '@tidb-drainer/testkit';
// Not part of the testkit entry (it pulls in fast-check, a dev dependency); the generators the codec fuzz tests use.
import { arbRow } from '../../../packages/testkit/src/encoder/random-tables.js';

/** Rows of one table as a consumer sees them: column name → value, keyed by the primary key's values. */
export type TableRows = Map<string, Record<string, ColumnValue>>;

/** Stable key text of a row's primary key values (bigint-safe). */
export function keyText(values: readonly ColumnValue[]): string {
  return JSON.stringify(values, (_k, v: unknown) =>
    typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? [...v] : v,
  );
}

/** Names of the primary key columns of a table (every e2e table has a PRIMARY KEY). */
export function primaryKeyNames(t: TableInfo): string[] {
  const pk = t.indices.find((i) => i.primary);
  if (pk === undefined) throw new Error(`${t.schema}.${t.name} has no primary key`);
  return pk.columns.map((offset) => t.columns[offset]?.name ?? '?');
}

interface LiveTable {
  info: TableInfo;
  readonly rows: TableRows;
  /** `_tidb_rowid` per key, for tables whose PK is not the handle. */
  readonly rowIds: Map<string, bigint>;
  readonly rowid: boolean;
}

/**
 * The simulator side of the end-to-end tests: applies DDL to the fake TiDB catalog and DML to an in-memory model of
 * every table, and writes the same changes as TiDB-format binlogs through the workload driver. Row values come from
 * the codec's random generators (every column type, NULLs, extremes), seeded so a failure can be replayed.
 */
export class E2eWorkload {
  /** History job ids in the order their (final) DDL binlogs were committed. */
  readonly ddlJobIds: number[] = [];
  /** Commit ts of every DML transaction written. */
  readonly dmlCommits: bigint[] = [];
  lastCommitTs = 0n;
  private readonly tables = new Map<string, LiveTable>();
  private nextId = 1n;
  private nextRowId = 1n;
  private seed: number;

  constructor(
    private readonly model: TidbSchemaModel,
    private driver: WorkloadDriver,
    seed: number,
  ) {
    this.seed = seed;
  }

  /** Switches to another driver (e.g. after pumps were added or removed). */
  useDriver(driver: WorkloadDriver): void {
    this.driver = driver;
  }

  /** Writes the DDL binlog(s) TiDB writes for `job` (already applied to the catalog) and mirrors it in the model. */
  async ddl(job: TidbJobJson, db: string, table?: string): Promise<bigint> {
    let commitTs = 0n;
    for (const b of ddlBinlogsFor(job)) commitTs = (await this.driver.write(b)).commitTs;
    this.ddlJobIds.push(job.id);
    this.lastCommitTs = commitTs;
    if (table === undefined) return commitTs;
    const key = `${db}.${table}`;
    switch (job.type) {
      case ActionType.CreateTable: {
        const info = this.model.modelTable(db, table);
        const rowid = !info.pkIsHandle && !info.isCommonHandle;
        this.tables.set(key, { info, rows: new Map(), rowIds: new Map(), rowid });
        break;
      }
      case ActionType.DropTable:
        this.tables.delete(key);
        break;
      case ActionType.TruncateTable: {
        const t = this.live(key);
        t.rows.clear();
        t.rowIds.clear();
        t.info = this.model.modelTable(db, table);
        break;
      }
      default:
        this.live(key).info = this.model.modelTable(db, table);
    }
    return commitTs;
  }

  /**
   * One transaction of `ops` random row changes over `tables` (`db.table` keys): inserts, updates of existing rows
   * (the key kept, every other column new) and deletes, to the driver's pump `pump` (default: its chooser).
   * Returns its commit ts.
   */
  async dml(tables: readonly string[], ops: number, pump?: number): Promise<bigint> {
    const builders = new Map<string, TableMutationBuilder>();
    const rand = fc.sample(fc.tuple(fc.nat(tables.length - 1), fc.nat(9), fc.nat(1_000_000)), {
      numRuns: ops,
      seed: this.seed++,
    });
    for (const [ti, kind, pick] of rand) {
      const key = tables[ti] ?? '';
      const t = this.live(key);
      const builder = builders.get(key) ?? new TableMutationBuilder(t.info);
      builders.set(key, builder);
      const existing = [...t.rows.keys()];
      const victim = existing.length === 0 ? undefined : existing[pick % existing.length];
      if (victim === undefined || kind < 6) this.insert(t, builder);
      else if (kind < 8) this.update(t, builder, victim);
      else this.remove(t, builder, victim);
    }
    const mutations: TableMutation[] = [...builders.values()].map((b) => b.build());
    const written = await this.driver.write({
      kind: 'dml',
      prewriteValue: encodePrewriteValue({ schemaVersion: BigInt(this.model.schemaVersion), mutations }),
      ...(pump === undefined ? {} : { pump }),
    });
    this.dmlCommits.push(written.commitTs);
    this.lastCommitTs = written.commitTs;
    return written.commitTs;
  }

  /** The expected final state: every live table's rows, each row over the table's current columns. */
  expected(): Map<string, TableRows> {
    const out = new Map<string, TableRows>();
    for (const [key, t] of this.tables) out.set(key, normalizeRows(t.rows, t.info));
    return out;
  }

  tableInfo(key: string): TableInfo {
    return this.live(key).info;
  }

  private live(key: string): LiveTable {
    const t = this.tables.get(key);
    if (t === undefined) throw new Error(`e2e workload: no table ${key}`);
    return t;
  }

  private randomRow(t: LiveTable): ColumnValue[] {
    const [row] = fc.sample(arbRow(t.info), { numRuns: 1, seed: this.seed++ });
    if (row === undefined) throw new Error('fast-check gave no sample');
    const id = t.info.columns.findIndex((c) => c.name === 'id');
    row[id] = this.nextId++;
    return row;
  }

  private insert(t: LiveTable, b: TableMutationBuilder): void {
    const row = this.randomRow(t);
    const key = this.keyOf(t.info, row);
    const rowId = this.nextRowId++;
    b.insert(row, t.rowid ? { rowId } : {});
    if (t.rowid) t.rowIds.set(key, rowId);
    t.rows.set(key, toRecord(t.info, row));
  }

  private update(t: LiveTable, b: TableMutationBuilder, key: string): void {
    const before = this.valuesOf(t, key);
    const fresh = this.randomRow(t);
    const pk = t.info.indices.find((i) => i.primary)?.columns ?? [];
    const after = fresh.map((v, i) => (pk.includes(i) ? (before[i] ?? null) : v));
    b.update(before, after, t.rowid ? { rowId: t.rowIds.get(key) ?? 0n } : {});
    t.rows.set(key, toRecord(t.info, after));
  }

  private remove(t: LiveTable, b: TableMutationBuilder, key: string): void {
    b.delete(this.valuesOf(t, key), t.rowid ? { rowId: t.rowIds.get(key) ?? 0n } : {});
    t.rows.delete(key);
    t.rowIds.delete(key);
  }

  /** A stored row over the current columns; columns added since it was written hold their origin default. */
  private valuesOf(t: LiveTable, key: string): ColumnValue[] {
    const r = t.rows.get(key);
    if (r === undefined) throw new Error(`e2e workload: no row ${key}`);
    return t.info.columns.map((c) => (c.name in r ? (r[c.name] ?? null) : (c.originDefault ?? null)));
  }

  private keyOf(info: TableInfo, row: readonly ColumnValue[]): string {
    const pk = info.indices.find((i) => i.primary)?.columns ?? [];
    return keyText(pk.map((i) => row[i] ?? null));
  }
}

function toRecord(info: TableInfo, row: readonly ColumnValue[]): Record<string, ColumnValue> {
  const r: Record<string, ColumnValue> = {};
  info.columns.forEach((c, i) => (r[c.name] = row[i] ?? null));
  return r;
}

/**
 * Rows over exactly `info`'s current columns: dropped columns go, columns a row predates get their origin default
 * (what a downstream that ran the ADD COLUMN holds). Applied alike to the model and to the drainer's output.
 */
export function normalizeRows(rows: TableRows, info: TableInfo): TableRows {
  const out: TableRows = new Map();
  for (const [k, r] of rows) {
    const n: Record<string, ColumnValue> = {};
    for (const c of info.columns) n[c.name] = c.name in r ? (r[c.name] ?? null) : (c.originDefault ?? null);
    out.set(k, n);
  }
  return out;
}
