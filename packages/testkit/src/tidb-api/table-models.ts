import { toModelTableInfo } from '@tidb-drainer/core';
import { parseColumnDefault } from '@tidb-drainer/core/codec';
import type { TableInfo } from '@tidb-drainer/core';
import { allTidbTypeColumns, tidbCol } from './column-spec.js';
import type { TidbTableSpec } from './table-spec.js';
import { buildTidbTable } from './table-spec.js';

/** How the table stores its primary key (TiDB: pk-is-handle, clustered common handle, or `_tidb_rowid`). */
export type HandleKind = 'handle' | 'clustered' | 'rowid';

/**
 * A table with one column of every type TiDB 7.1 supports (see `allTidbTypeColumns`). `handle` picks the key layout:
 * `handle` = `id BIGINT` PK stored as the row handle; `clustered` = clustered PK on `(id, c_varchar)`; `rowid` =
 * non-clustered PK on `id` (rows carry `_tidb_rowid`).
 */
export function allTypesTableSpec(name = 'all_types', handle: HandleKind = 'handle'): TidbTableSpec {
  const columns = allTidbTypeColumns().map((c) =>
    handle === 'clustered' && c.name === 'c_varchar' ? { ...c, notNull: true } : c,
  );
  switch (handle) {
    case 'handle':
      return { name, columns, primaryKey: ['id'] };
    case 'clustered':
      return { name, columns, primaryKey: ['id', 'c_varchar'], clustered: true };
    case 'rowid':
      return { name, columns, primaryKey: ['id'], clustered: false };
  }
}

/** A small table with defaults on every column, for missing-column / ADD COLUMN tests. */
export function defaultsTableSpec(name = 'with_defaults'): TidbTableSpec {
  return {
    name,
    primaryKey: ['id'],
    columns: [
      tidbCol.int('id', { notNull: true }),
      tidbCol.int('n', { notNull: true, default: '7' }),
      tidbCol.varchar('s', 32, { default: 'dflt' }),
      tidbCol.decimal('d', 10, 2, { default: '1.50' }),
      tidbCol.datetime('t', 0, { notNull: true, default: '2020-01-02 03:04:05' }),
      tidbCol.enum('e', ['x', 'y'], { notNull: true }),
    ],
  };
}

export interface ModelTableOptions {
  readonly schema?: string;
  readonly tableId?: number;
  readonly schemaVersion?: number;
}

/**
 * The drainer-model TableInfo for a spec, built exactly as the drainer builds it (TiDB TableInfo JSON →
 * `toModelTableInfo`), so encoder and decoder tests share one source of truth with the schema tracker.
 */
export function modelTableFromSpec(spec: TidbTableSpec, opts: ModelTableOptions = {}): TableInfo {
  let next = (opts.tableId ?? 100) + 1;
  const json = buildTidbTable(spec, opts.tableId ?? 100, () => next++);
  return toModelTableInfo(json, {
    schema: opts.schema ?? 'test',
    schemaVersion: opts.schemaVersion ?? 1,
    parseDefault: parseColumnDefault,
  });
}
