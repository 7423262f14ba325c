import type { TableInfo } from '../model/table-info.js';
import { ActionType } from './ddl-action.js';
import { SchemaInconsistentError } from './schema-errors.js';
import type { TidbDbInfo, TidbJob, TidbTableInfo } from './tidb-json.js';
import type { DefaultValueParser } from './tidb-table-info.js';
import { toModelTableInfo } from './tidb-table-info.js';

/** A database as the catalog keeps it. */
export interface CatalogSchema {
  readonly id: number;
  readonly name: string;
  readonly charset: string;
  readonly collation: string;
  readonly tableIds: Set<number>;
}

/** The (schema, table) a DDL job touched; `table` is absent for database-level jobs and batch creates. */
export interface DdlTarget {
  readonly schema: string;
  readonly table?: string;
}

interface TableEntry {
  readonly schemaId: number;
  /** The last two definitions, oldest first (spec §3.6: enough for `TableBySchemaVersion`). */
  versions: TableInfo[];
}

/**
 * Since TiDB 6.2 the `mysql` database is created by KV writes, not by a DDL job, so the history never creates it;
 * the Go drainer pre-seeds it with these values.
 */
const MYSQL_SCHEMA = { id: 1, name: 'mysql', charset: 'utf8mb4', collation: 'utf8mb4_bin' } as const;

/**
 * The tracked databases and tables, changed one finished DDL job at a time (the job-type table of spec §3.6). Holds
 * model `TableInfo`s only (never the raw JSON), two versions per table, so memory follows the number of live tables,
 * not the length of the history.
 */
export class SchemaCatalog {
  private readonly schemas = new Map<number, CatalogSchema>();
  private readonly tables = new Map<number, TableEntry>();
  private readonly partitionToTable = new Map<number, number>();

  constructor(private readonly parseDefault: DefaultValueParser) {
    this.schemas.set(MYSQL_SCHEMA.id, { ...MYSQL_SCHEMA, tableIds: new Set() });
  }

  schemaById(id: number): CatalogSchema | undefined {
    return this.schemas.get(id);
  }

  schemaList(): CatalogSchema[] {
    return [...this.schemas.values()];
  }

  /** Newest definition of a table, also found by one of its partition ids. */
  tableById(id: number): TableInfo | undefined {
    const e = this.tables.get(id) ?? this.tables.get(this.partitionToTable.get(id) ?? -1);
    return e?.versions[e.versions.length - 1];
  }

  /** Both stored versions, oldest first (empty when unknown). */
  tableVersions(id: number): readonly TableInfo[] {
    return (this.tables.get(id) ?? this.tables.get(this.partitionToTable.get(id) ?? -1))?.versions ?? [];
  }

  tableCount(): number {
    return this.tables.size;
  }

  /** Applies one finished job at schema version `version`; returns what it touched. */
  apply(job: TidbJob, version: number): DdlTarget {
    const info = job.binlog;
    switch (job.type) {
      case ActionType.CreateSchema: {
        const db = this.need(info?.DBInfo, job, 'DBInfo');
        const existing = this.schemas.get(db.id);
        if (existing !== undefined && existing.id !== MYSQL_SCHEMA.id) {
          throw new SchemaInconsistentError(`schema ${db.db_name.O} (id ${db.id}) already exists`, {
            jobId: job.id,
            schemaId: db.id,
          });
        }
        this.schemas.set(db.id, { ...toSchema(db), tableIds: existing?.tableIds ?? new Set() });
        return { schema: db.db_name.O };
      }
      case ActionType.ModifySchemaCharsetAndCollate: {
        const db = this.need(info?.DBInfo, job, 'DBInfo');
        const existing = this.needSchema(db.id, job);
        this.schemas.set(db.id, { ...toSchema(db), tableIds: existing.tableIds });
        return { schema: db.db_name.O };
      }
      case ActionType.DropSchema: {
        const s = this.needSchema(job.schema_id, job);
        for (const id of s.tableIds) this.removeTable(id);
        this.schemas.delete(s.id);
        return { schema: s.name };
      }
      case ActionType.RenameTable: {
        this.dropTable(job.table_id, job);
        const t = this.createTable(job.schema_id, this.need(info?.TableInfo, job, 'TableInfo'), version, job);
        return { schema: t.schema, table: t.name };
      }
      case ActionType.CreateTable:
      case ActionType.CreateView:
      case ActionType.CreateSequence:
      case ActionType.RecoverTable: {
        const t = this.createTable(job.schema_id, this.need(info?.TableInfo, job, 'TableInfo'), version, job);
        return { schema: t.schema, table: t.name };
      }
      case ActionType.DropTable:
      case ActionType.DropView:
      case ActionType.DropSequence: {
        const s = this.needSchema(job.schema_id, job);
        const t = this.dropTable(job.table_id, job);
        return { schema: s.name, table: t.name };
      }
      case ActionType.TruncateTable: {
        this.needSchema(job.schema_id, job);
        this.dropTable(job.table_id, job);
        const t = this.createTable(job.schema_id, this.need(info?.TableInfo, job, 'TableInfo'), version, job);
        return { schema: t.schema, table: t.name };
      }
      case ActionType.CreateTables: {
        const s = this.needSchema(job.schema_id, job);
        for (const t of info?.MultipleTableInfos ?? []) this.createTable(job.schema_id, t, version, job);
        return { schema: s.name };
      }
      case ActionType.ExchangeTablePartition: {
        // TiDB swaps ids: the partition takes the normal table's id (`job.table_id`), the normal table the
        // partition's. The job carries only the partitioned table; the Go drainer's generic path would leave the
        // normal table under its old id (its DML then fails as an unknown table id), so the swap is mirrored here.
        const pt = this.need(info?.TableInfo, job, 'TableInfo');
        const before = new Set(this.tableById(pt.id)?.partition?.definitions.map((d) => d.id) ?? []);
        const t = this.replaceTable(job.schema_id, pt, version, job);
        const gone = [...before].filter((id) => !pt.partition?.definitions.some((d) => d.id === id));
        if (gone.length === 1 && gone[0] !== undefined) this.moveTable(job.table_id, gone[0], version);
        return { schema: t.schema, table: t.name };
      }
      default: {
        const t = this.replaceTable(job.schema_id, this.need(info?.TableInfo, job, 'TableInfo'), version, job);
        return { schema: t.schema, table: t.name };
      }
    }
  }

  private need<T>(v: T | null | undefined, job: TidbJob, what: string): T {
    if (v === null || v === undefined) {
      throw new SchemaInconsistentError(`DDL job ${job.id} (type ${job.type}) has no binlog.${what}`, {
        jobId: job.id,
      });
    }
    return v;
  }

  private needSchema(id: number, job: TidbJob): CatalogSchema {
    const s = this.schemas.get(id);
    if (s === undefined)
      throw new SchemaInconsistentError(`schema id ${id} not found`, { jobId: job.id, schemaId: id });
    return s;
  }

  private convert(schema: CatalogSchema, t: TidbTableInfo, version: number, job: TidbJob): TableInfo {
    return toModelTableInfo(
      t,
      { schema: schema.name, schemaVersion: version, parseDefault: this.parseDefault },
      `job[${job.id}].binlog.TableInfo`,
    );
  }

  private createTable(schemaId: number, t: TidbTableInfo, version: number, job: TidbJob): TableInfo {
    const schema = this.needSchema(schemaId, job);
    if (this.tables.has(t.id)) {
      throw new SchemaInconsistentError(`table ${schema.name}.${t.name.O} (id ${t.id}) already exists`, {
        jobId: job.id,
        tableId: t.id,
      });
    }
    const info = this.convert(schema, t, version, job);
    this.tables.set(t.id, { schemaId, versions: [info] });
    schema.tableIds.add(t.id);
    this.indexPartitions(info);
    return info;
  }

  private replaceTable(schemaId: number, t: TidbTableInfo, version: number, job: TidbJob): TableInfo {
    const entry = this.tables.get(t.id);
    if (entry === undefined)
      throw new SchemaInconsistentError(`table ${t.name.O} (id ${t.id}) not found`, { jobId: job.id, tableId: t.id });
    // The Go drainer keeps the table under the schema it was created in (name maps are not updated on this path).
    const schema = this.schemas.get(entry.schemaId) ?? this.needSchema(schemaId, job);
    const info = this.convert(schema, t, version, job);
    const old = entry.versions[entry.versions.length - 1];
    if (old !== undefined) this.unindexPartitions(old);
    entry.versions = [...entry.versions.slice(-1), info];
    this.indexPartitions(info);
    return info;
  }

  /** Re-keys a table under a new id (the normal table of EXCHANGE PARTITION). */
  private moveTable(from: number, to: number, version: number): void {
    const entry = this.tables.get(from);
    const newest = entry?.versions[entry.versions.length - 1];
    if (entry === undefined || newest === undefined || this.tables.has(to)) return;
    this.tables.delete(from);
    this.tables.set(to, { schemaId: entry.schemaId, versions: [{ ...newest, id: to, schemaVersion: version }] });
    const tableIds = this.schemas.get(entry.schemaId)?.tableIds;
    tableIds?.delete(from);
    tableIds?.add(to);
  }

  private dropTable(id: number, job: TidbJob): TableInfo {
    const t = this.removeTable(id);
    if (t === undefined) throw new SchemaInconsistentError(`table id ${id} not found`, { jobId: job.id, tableId: id });
    return t;
  }

  private removeTable(id: number): TableInfo | undefined {
    const entry = this.tables.get(id);
    if (entry === undefined) return undefined;
    const newest = entry.versions[entry.versions.length - 1];
    if (newest !== undefined) this.unindexPartitions(newest);
    this.tables.delete(id);
    this.schemas.get(entry.schemaId)?.tableIds.delete(id);
    return newest;
  }

  private indexPartitions(t: TableInfo): void {
    for (const d of t.partition?.definitions ?? []) this.partitionToTable.set(d.id, t.id);
  }

  private unindexPartitions(t: TableInfo): void {
    for (const d of t.partition?.definitions ?? []) this.partitionToTable.delete(d.id);
  }
}

function toSchema(db: TidbDbInfo): Omit<CatalogSchema, 'tableIds'> {
  return { id: db.id, name: db.db_name.O, charset: db.charset, collation: db.collate };
}
