import { parseJsonFast } from './fast-lossless-json.js';
import { ActionType, JobState, SchemaState } from './ddl-action.js';
import type { DdlJobSource, HistoryCursor } from './ddl-job-source.js';
import { SchemaFileSource } from './schema-file-source.js';
import { SchemaJsonError } from './schema-errors.js';
import type { StatusApiSource } from './status-api-source.js';
import type { TidbDbInfo, TidbJob, TidbTableInfo } from './tidb-json.js';
import { readTidbDbInfo, readTidbTableInfo } from './tidb-json.js';

/** In-memory schemas TiDB serves from `/schema` that have no DDL history and no binlog (not in TiKV meta either). */
const MEMORY_SCHEMAS = new Set(['information_schema', 'performance_schema', 'metrics_schema']);

/**
 * The Go drainer's `load-table-infos` (`load-schema-snapshot` on master, spec §3.6) over TiDB's status API: instead of
 * replaying the whole DDL history, start from the current schema, as fabricated jobs — one CreateSchema per database
 * (schema versions 1, 2, …) then one CreateTable per table (continuing). Jobs of DDL binlogs are still fetched by id
 * from `live`.
 *
 * Caveat (a deviation forced by the HTTP API): `/schema` serves the schema **now**, not at the checkpoint's TSO as the
 * Go drainer's TiKV snapshot read does; use it only when no DDL ran between the checkpoint and now (e.g. a fresh start
 * at the current TSO).
 */
export class SchemaSnapshotSource implements DdlJobSource {
  private constructor(
    private readonly snapshot: SchemaFileSource,
    private readonly live: DdlJobSource,
  ) {}

  static async load(live: StatusApiSource, signal: AbortSignal): Promise<SchemaSnapshotSource> {
    const dbs = (
      await live.getJson('/schema', signal, (body, url) =>
        list(body, url).map((v, i) => readTidbDbInfo(v, `${url}[${i}]`)),
      )
    )
      .filter((db) => !MEMORY_SCHEMAS.has(db.db_name.L))
      .sort((a, b) => a.id - b.id);
    const tables: { db: TidbDbInfo; table: TidbTableInfo }[] = [];
    for (const db of dbs) {
      const path = `/schema/${encodeURIComponent(db.db_name.O)}`;
      const ts = await live.getJson(path, signal, (body, url) =>
        list(body, url).map((v, i) => readTidbTableInfo(v, `${url}[${i}]`)),
      );
      for (const table of ts.sort((a, b) => a.id - b.id)) tables.push({ db, table });
    }
    return new SchemaSnapshotSource(new SchemaFileSource(snapshotJobs(dbs, tables)), live);
  }

  openHistory(): HistoryCursor {
    return this.snapshot.openHistory();
  }

  jobById(id: number, signal: AbortSignal): Promise<TidbJob | undefined> {
    return this.live.jobById(id, signal);
  }
}

/** The fabricated jobs (ids and versions 1…n); exported for tests and for dumping a snapshot as a schema file. */
export function snapshotJobs(
  dbs: readonly TidbDbInfo[],
  tables: readonly { db: TidbDbInfo; table: TidbTableInfo }[],
): TidbJob[] {
  let n = 0;
  const job = (
    type: number,
    schemaId: number,
    tableId: number,
    dbInfo: TidbDbInfo | null,
    tableInfo: TidbTableInfo | null,
  ): TidbJob => {
    n += 1;
    return {
      id: n,
      type,
      schema_id: schemaId,
      table_id: tableId,
      schema_name: '',
      table_name: tableInfo?.name.O ?? '',
      state: JobState.Synced,
      schema_state: SchemaState.Public,
      query: '',
      binlog: { SchemaVersion: n, DBInfo: dbInfo, TableInfo: tableInfo, FinishedTS: 0, MultipleTableInfos: null },
    };
  };
  return [
    ...dbs.map((db) => job(ActionType.CreateSchema, db.id, 0, db, null)),
    ...tables.map(({ db, table }) => job(ActionType.CreateTable, db.id, table.id, null, table)),
  ];
}

function list(body: string, url: string): unknown[] {
  let v: unknown;
  try {
    v = parseJsonFast(body);
  } catch (err) {
    throw new SchemaJsonError(`invalid JSON from ${url}: ${(err as Error).message}`, { path: url });
  }
  if (v === null) return [];
  if (!Array.isArray(v)) throw new SchemaJsonError(`expected a JSON array from ${url}`, { path: url });
  return v;
}
