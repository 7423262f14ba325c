import { ActionType, JobState, SchemaState, toModelTableInfo, tsoFromPhysical } from '@tidb-drainer/core';
import { parseColumnDefault } from '@tidb-drainer/core/codec';
import type { TableInfo, TidbDbInfo, TidbJob } from '@tidb-drainer/core';
import type { TidbColumnSpec } from './column-spec.js';
import { toTidbColumn } from './column-spec.js';
import { quoteIdent, tidbColumnSql, tidbCreateTableSql } from './ddl-sql.js';
import { zeroDefaultText } from './zero-default.js';
import type { TidbPartitionSpec, TidbTableJson, TidbTableSpec } from './table-spec.js';
import { buildTidbTable, partitionDefinition } from './table-spec.js';

/** TiDB's Job JSON as the fake produces it (the keys the drainer reads plus the usual others). */
export type TidbJobJson = TidbJob & Record<string, unknown>;

interface DbEntry {
  info: TidbDbInfo & Record<string, unknown>;
  readonly tables: Map<string, TidbTableJson>;
}

export interface TidbSchemaModelOptions {
  /** First global id handed out (TiDB's first user ids are around 100 after bootstrap). */
  readonly firstId?: number;
  /** Schema version before the first DDL. */
  readonly firstSchemaVersion?: number;
  /** Clock for job timestamps (a TSO); defaults to the wall clock. */
  readonly now?: () => bigint;
}

/**
 * Schema versions TiDB moves through per job type: ADD/DROP COLUMN and ADD INDEX step through delete-only,
 * write-only, write-reorg and public (4 versions); simple jobs bump once. The job records the last one.
 */
const STEPS: Readonly<Record<number, number>> = {
  [ActionType.AddColumn]: 4,
  [ActionType.DropColumn]: 4,
  [ActionType.AddIndex]: 4,
};

/**
 * An in-memory TiDB catalog that tests and the workload change by applying DDL; each DDL appends a TiDB-shaped
 * history job (increasing job ids and schema versions, state synced, `binlog` = HistoryInfo with the final
 * DBInfo/TableInfo). The fake status API serves `/ddl/history` and `/schema` from it; `modelTable` gives the
 * drainer-model TableInfo (through the same conversion the drainer uses) for the binlog encoder.
 */
export class TidbSchemaModel {
  private nextId: number;
  private version: number;
  private readonly dbs = new Map<string, DbEntry>();
  private readonly history: TidbJobJson[] = [];
  private readonly now: () => bigint;

  constructor(opts: TidbSchemaModelOptions = {}) {
    this.nextId = opts.firstId ?? 100;
    this.version = opts.firstSchemaVersion ?? 0;
    this.now = opts.now ?? ((): bigint => tsoFromPhysical(Date.now()));
  }

  get schemaVersion(): number {
    return this.version;
  }

  /** Every history job, oldest first (do not mutate). */
  get jobs(): readonly TidbJobJson[] {
    return this.history;
  }

  jobById(id: number): TidbJobJson | undefined {
    return this.history.find((j) => j.id === id);
  }

  allocId(): number {
    return this.nextId++;
  }

  databases(): (TidbDbInfo & Record<string, unknown>)[] {
    return [...this.dbs.values()].map((d) => d.info);
  }

  tablesOf(db: string): TidbTableJson[] {
    return [...(this.dbs.get(db.toLowerCase())?.tables.values() ?? [])];
  }

  tableJson(db: string, table: string): TidbTableJson {
    const t = this.db(db).tables.get(table.toLowerCase());
    if (t === undefined) throw new Error(`fake TiDB: table ${db}.${table} does not exist`);
    return t;
  }

  tableJsonById(id: number): { db: string; table: TidbTableJson } | undefined {
    for (const d of this.dbs.values())
      for (const t of d.tables.values()) if (t.id === id) return { db: d.info.db_name.O, table: t };
    return undefined;
  }

  /** The drainer-model TableInfo of a table as it is now (same conversion as the drainer's SchemaTracker). */
  modelTable(db: string, table: string): TableInfo {
    return toModelTableInfo(this.tableJson(db, table), {
      schema: this.db(db).info.db_name.O,
      schemaVersion: this.version,
      parseDefault: parseColumnDefault,
    });
  }

  createDatabase(name: string, opts: { charset?: string; collate?: string } = {}): TidbJobJson {
    if (this.dbs.has(name.toLowerCase())) throw new Error(`fake TiDB: database ${name} exists`);
    const info = {
      id: this.allocId(),
      db_name: { O: name, L: name.toLowerCase() },
      charset: opts.charset ?? 'utf8mb4',
      collate: opts.collate ?? 'utf8mb4_bin',
      state: 5,
      policy_ref_info: null,
    };
    this.dbs.set(name.toLowerCase(), { info, tables: new Map() });
    return this.record(ActionType.CreateSchema, info, null, {
      schemaId: info.id,
      schemaName: name,
      query: `CREATE DATABASE \`${name}\``,
    });
  }

  dropDatabase(name: string): TidbJobJson {
    const d = this.db(name);
    this.dbs.delete(name.toLowerCase());
    return this.record(ActionType.DropSchema, d.info, null, {
      schemaId: d.info.id,
      schemaName: name,
      query: `DROP DATABASE \`${name}\``,
      schemaState: SchemaState.None,
    });
  }

  createTable(db: string, spec: TidbTableSpec, query?: string): TidbJobJson {
    const d = this.db(db);
    if (d.tables.has(spec.name.toLowerCase())) throw new Error(`fake TiDB: table ${db}.${spec.name} exists`);
    const t = buildTidbTable(spec, this.allocId(), () => this.allocId());
    d.tables.set(spec.name.toLowerCase(), t);
    return this.tableJob(ActionType.CreateTable, d, t, query ?? tidbCreateTableSql(spec));
  }

  dropTable(db: string, table: string): TidbJobJson {
    const d = this.db(db);
    const t = this.tableJson(db, table);
    d.tables.delete(table.toLowerCase());
    return this.tableJob(ActionType.DropTable, d, t, `DROP TABLE \`${table}\``, SchemaState.None);
  }

  truncateTable(db: string, table: string): TidbJobJson {
    const d = this.db(db);
    const old = this.tableJson(db, table);
    const partition =
      old.partition === null
        ? null
        : { ...old.partition, definitions: old.partition.definitions.map((p) => ({ ...p, id: this.allocId() })) };
    const t: TidbTableJson = { ...clone(old), id: this.allocId(), partition };
    d.tables.set(table.toLowerCase(), t);
    return this.tableJob(ActionType.TruncateTable, d, t, `TRUNCATE TABLE \`${table}\``, SchemaState.Public, old.id);
  }

  renameTable(db: string, from: string, to: string, toDb = db): TidbJobJson {
    const src = this.db(db);
    const dst = this.db(toDb);
    const old = this.tableJson(db, from);
    const t: TidbTableJson = { ...clone(old), name: { O: to, L: to.toLowerCase() } };
    src.tables.delete(from.toLowerCase());
    dst.tables.set(to.toLowerCase(), t);
    return this.tableJob(ActionType.RenameTable, dst, t, `RENAME TABLE \`${db}\`.\`${from}\` TO \`${toDb}\`.\`${to}\``);
  }

  /**
   * ADD COLUMN (appended last). Existing rows get the column's origin default: its DEFAULT, else the type's zero
   * value for NOT NULL columns, else NULL.
   */
  addColumn(db: string, table: string, column: TidbColumnSpec): TidbJobJson {
    const t = clone(this.tableJson(db, table));
    const maxId = Math.max(0, ...t.cols.map((c) => c.id), Number(t['max_col_id'] ?? 0));
    const origin =
      column.default !== undefined && column.default !== null
        ? column.default
        : column.notNull === true
          ? zeroDefaultText(column)
          : null;
    const c = toTidbColumn(column, maxId + 1, t.cols.length, {
      originDefault: origin,
      charset: t.charset,
      collate: t.collate,
    });
    const next: TidbTableJson = { ...t, cols: [...t.cols, c], max_col_id: maxId + 1 };
    return this.replace(
      db,
      table,
      next,
      ActionType.AddColumn,
      `ALTER TABLE ${quoteIdent(table)} ADD COLUMN ${tidbColumnSql(column)}`,
    );
  }

  /** The DROP COLUMN job (final state). TiDB also writes a DDL binlog for it at DeleteOnly; see the encoder. */
  dropColumn(db: string, table: string, name: string): TidbJobJson {
    const t = clone(this.tableJson(db, table));
    const cols = t.cols.filter((c) => c.name.L !== name.toLowerCase()).map((c, i) => ({ ...c, offset: i }));
    if (cols.length === t.cols.length) throw new Error(`fake TiDB: ${db}.${table} has no column ${name}`);
    const index_info = t.index_info.filter((ix) => !ix.idx_cols.some((ic) => ic.name.L === name.toLowerCase()));
    return this.replace(
      db,
      table,
      { ...t, cols, index_info },
      ActionType.DropColumn,
      `ALTER TABLE \`${table}\` DROP COLUMN \`${name}\``,
      SchemaState.None,
    );
  }

  /** MODIFY COLUMN in place (same id; a type change that needs no reorg). */
  modifyColumn(db: string, table: string, name: string, column: TidbColumnSpec): TidbJobJson {
    const t = clone(this.tableJson(db, table));
    const i = t.cols.findIndex((c) => c.name.L === name.toLowerCase());
    const old = t.cols[i];
    if (old === undefined) throw new Error(`fake TiDB: ${db}.${table} has no column ${name}`);
    const keepFlags = old.type.Flag & (2 | 4 | 8);
    const c = toTidbColumn(column, old.id, i, {
      extraFlag: keepFlags,
      charset: t.charset,
      collate: t.collate,
      originDefault: old.origin_default === null ? null : String(old.origin_default),
    });
    const cols = t.cols.map((x, j) => (j === i ? c : x));
    return this.replace(
      db,
      table,
      { ...t, cols },
      ActionType.ModifyColumn,
      `ALTER TABLE ${quoteIdent(table)} MODIFY COLUMN ${tidbColumnSql(column)}`,
    );
  }

  addPartition(db: string, table: string, p: TidbPartitionSpec): TidbJobJson {
    const t = clone(this.tableJson(db, table));
    if (t.partition === null) throw new Error(`fake TiDB: ${db}.${table} is not partitioned`);
    const partition = {
      ...t.partition,
      definitions: [...t.partition.definitions, partitionDefinition(this.allocId(), p)],
    };
    return this.replace(
      db,
      table,
      { ...t, partition },
      ActionType.AddTablePartition,
      `ALTER TABLE \`${table}\` ADD PARTITION (PARTITION \`${p.name}\` VALUES LESS THAN (${p.lessThan}))`,
    );
  }

  dropPartition(db: string, table: string, name: string): TidbJobJson {
    const t = clone(this.tableJson(db, table));
    if (t.partition === null) throw new Error(`fake TiDB: ${db}.${table} is not partitioned`);
    const partition = {
      ...t.partition,
      definitions: t.partition.definitions.filter((d) => d.name.L !== name.toLowerCase()),
    };
    return this.replace(
      db,
      table,
      { ...t, partition },
      ActionType.DropTablePartition,
      `ALTER TABLE \`${table}\` DROP PARTITION \`${name}\``,
      SchemaState.None,
    );
  }

  /** EXCHANGE PARTITION: the partition and the normal table swap ids (as TiDB does); the job carries the partitioned table. */
  exchangePartition(db: string, table: string, partition: string, withDb: string, withTable: string): TidbJobJson {
    const pt = clone(this.tableJson(db, table));
    const nt = this.tableJson(withDb, withTable);
    if (pt.partition === null) throw new Error(`fake TiDB: ${db}.${table} is not partitioned`);
    const def = pt.partition.definitions.find((d) => d.name.L === partition.toLowerCase());
    if (def === undefined) throw new Error(`fake TiDB: ${db}.${table} has no partition ${partition}`);
    const ntOldId = nt.id;
    const definitions = pt.partition.definitions.map((d) => (d === def ? { ...d, id: ntOldId } : d));
    const next: TidbTableJson = { ...pt, partition: { ...pt.partition, definitions } };
    this.db(db).tables.set(table.toLowerCase(), next);
    this.db(withDb).tables.set(withTable.toLowerCase(), { ...clone(nt), id: def.id });
    const d = this.db(withDb);
    return this.record(ActionType.ExchangeTablePartition, null, next, {
      schemaId: d.info.id,
      schemaName: d.info.db_name.O,
      tableId: ntOldId,
      tableName: withTable,
      query: `ALTER TABLE ${quoteIdent(table)} EXCHANGE PARTITION ${quoteIdent(partition)} WITH TABLE ${quoteIdent(withDb)}.${quoteIdent(withTable)}`,
      schemaState: SchemaState.None,
    });
  }

  /**
   * Records a job that does not change the catalog: a skipped type (e.g. LOCK TABLES), or a job that failed
   * (`state` RollbackDone / Cancelled, schema version 0 unless given).
   */
  recordJob(
    type: number,
    opts: { db: string; table?: string; state?: number; query: string; bumpVersion?: boolean },
  ): TidbJobJson {
    const d = this.db(opts.db);
    const t = opts.table !== undefined ? this.tableJson(opts.db, opts.table) : null;
    const state = opts.state ?? JobState.Synced;
    const finished = state === JobState.Synced || state === JobState.Done;
    return this.record(type, null, t, {
      schemaId: d.info.id,
      schemaName: d.info.db_name.O,
      ...(t !== null ? { tableId: t.id, tableName: t.name.O } : {}),
      query: opts.query,
      state,
      noVersion: !finished && opts.bumpVersion !== true,
    });
  }

  private db(name: string): DbEntry {
    const d = this.dbs.get(name.toLowerCase());
    if (d === undefined) throw new Error(`fake TiDB: database ${name} does not exist`);
    return d;
  }

  private replace(
    db: string,
    table: string,
    next: TidbTableJson,
    type: number,
    query: string,
    schemaState: number = SchemaState.Public,
  ): TidbJobJson {
    const d = this.db(db);
    d.tables.set(table.toLowerCase(), next);
    return this.tableJob(type, d, next, query, schemaState);
  }

  private tableJob(
    type: number,
    d: DbEntry,
    t: TidbTableJson,
    query: string,
    schemaState: number = SchemaState.Public,
    tableId = t.id,
  ): TidbJobJson {
    return this.record(type, null, t, {
      schemaId: d.info.id,
      schemaName: d.info.db_name.O,
      tableId,
      tableName: t.name.O,
      query,
      schemaState,
    });
  }

  private record(
    type: number,
    dbInfo: (TidbDbInfo & Record<string, unknown>) | null,
    tableInfo: TidbTableJson | null,
    o: {
      schemaId: number;
      schemaName: string;
      tableId?: number;
      tableName?: string;
      query: string;
      schemaState?: number;
      state?: number;
      noVersion?: boolean;
    },
  ): TidbJobJson {
    const id = this.allocId();
    if (o.noVersion !== true) this.version += STEPS[type] ?? 1;
    const ts = this.now();
    const job: TidbJobJson = {
      id,
      type,
      schema_id: o.schemaId,
      table_id: o.tableId ?? 0,
      schema_name: o.schemaName,
      table_name: o.tableName ?? '',
      state: o.state ?? JobState.Synced,
      warning: null,
      err: null,
      err_count: 0,
      row_count: 0,
      raw_args: null,
      schema_state: o.schemaState ?? SchemaState.Public,
      snapshot_ver: 0,
      real_start_ts: ts,
      start_ts: ts,
      dependency_id: 0,
      query: o.query,
      binlog: {
        SchemaVersion: o.noVersion === true ? 0 : this.version,
        DBInfo: dbInfo === null ? null : clone(dbInfo),
        TableInfo: tableInfo === null ? null : clone(tableInfo),
        FinishedTS: ts,
        MultipleTableInfos: null,
      },
      version: 1,
      reorg_meta: null,
      multi_schema_info: null,
      priority: 0,
      seq_num: this.history.length + 1,
      charset: '',
      collate: '',
      involving_schema_info: null,
    };
    this.history.push(job);
    return job;
  }
}

/** Deep copy of a JSON-like value (bigints kept). */
function clone<T>(v: T): T {
  return structuredClone(v);
}
