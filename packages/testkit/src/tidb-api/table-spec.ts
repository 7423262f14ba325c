import { ColumnFlag, MysqlType, isIntegerType } from '@tidb-drainer/core';
import type { TidbColumnInfo, TidbIndexInfo, TidbPartitionInfo, TidbTableInfo } from '@tidb-drainer/core';
import type { TidbColumnSpec } from './column-spec.js';
import { toTidbColumn } from './column-spec.js';

export interface TidbPartitionSpec {
  readonly name: string;
  /** RANGE partition upper bound expression text (e.g. "100", "MAXVALUE"). */
  readonly lessThan: string;
}

/** A table definition for the fake TiDB model. */
export interface TidbTableSpec {
  readonly name: string;
  readonly columns: readonly TidbColumnSpec[];
  readonly primaryKey?: readonly string[];
  /**
   * Clustered primary key. A single integer PK is clustered by default (pk-is-handle, TiDB's INT_ONLY default);
   * `true` makes any other PK clustered (common handle); `false` makes every PK non-clustered (`_tidb_rowid`).
   */
  readonly clustered?: boolean;
  readonly uniqueKeys?: readonly { readonly name: string; readonly columns: readonly string[] }[];
  readonly indexes?: readonly { readonly name: string; readonly columns: readonly string[] }[];
  /** RANGE partitioning on `expr`. */
  readonly partition?: { readonly expr: string; readonly definitions: readonly TidbPartitionSpec[] };
  readonly charset?: string;
  readonly collate?: string;
}

/** Allocates TiDB global ids (databases, tables, partitions, jobs share one counter in TiDB). */
export type IdAllocator = () => number;

/** TiDB's TableInfo JSON (with the extra keys TiDB writes) for a spec. */
export type TidbTableJson = TidbTableInfo & Record<string, unknown>;

export function pkIsHandleFor(spec: TidbTableSpec): boolean {
  const pk = spec.primaryKey ?? [];
  if (pk.length !== 1 || spec.clustered === false) return false;
  const c = spec.columns.find((x) => x.name.toLowerCase() === pk[0]!.toLowerCase());
  return c !== undefined && isIntegerType(c.tp) && c.tp !== MysqlType.Year;
}

function indexJson(
  id: number,
  name: string,
  cols: readonly string[],
  table: readonly TidbColumnInfo[],
  unique: boolean,
  primary: boolean,
): TidbIndexInfo & Record<string, unknown> {
  return {
    id,
    idx_name: { O: name, L: name.toLowerCase() },
    tbl_name: { O: '', L: '' },
    idx_cols: cols.map((n) => {
      const c = table.find((x) => x.name.L === n.toLowerCase());
      if (c === undefined) throw new Error(`index ${name}: no column ${n}`);
      return { name: c.name, offset: c.offset, length: -1 };
    }),
    state: 5,
    backfill_state: 0,
    comment: '',
    index_type: 1,
    is_unique: unique,
    is_primary: primary,
    is_invisible: false,
    is_global: false,
    mv_index: false,
  };
}

/** Builds TiDB's TableInfo JSON: column ids 1…n, index ids 1…m, partition ids from `ids`. */
export function buildTidbTable(spec: TidbTableSpec, tableId: number, ids: IdAllocator): TidbTableJson {
  const charset = spec.charset ?? 'utf8mb4';
  const collate = spec.collate ?? 'utf8mb4_bin';
  const pk = (spec.primaryKey ?? []).map((n) => n.toLowerCase());
  const uniques = new Set(
    (spec.uniqueKeys ?? []).flatMap((u) => (u.columns.length === 1 ? [u.columns[0]!.toLowerCase()] : [])),
  );
  const pkIsHandle = pkIsHandleFor(spec);
  const cols = spec.columns.map((c, i) => {
    let flag = 0;
    const inPk = pk.includes(c.name.toLowerCase());
    if (inPk) flag |= ColumnFlag.PriKey | ColumnFlag.NotNull;
    if (uniques.has(c.name.toLowerCase())) flag |= ColumnFlag.UniqueKey;
    return toTidbColumn(c, i + 1, i, { extraFlag: flag, charset, collate });
  });
  const indices: TidbIndexInfo[] = [];
  let nextIndexId = 1;
  if (pk.length > 0 && !pkIsHandle) indices.push(indexJson(nextIndexId++, 'PRIMARY', pk, cols, true, true));
  for (const u of spec.uniqueKeys ?? []) indices.push(indexJson(nextIndexId++, u.name, u.columns, cols, true, false));
  for (const x of spec.indexes ?? []) indices.push(indexJson(nextIndexId++, x.name, x.columns, cols, false, false));
  const partition: TidbPartitionInfo | null =
    spec.partition === undefined
      ? null
      : ({
          type: 1,
          expr: spec.partition.expr,
          columns: null,
          enable: true,
          definitions: spec.partition.definitions.map((d) => partitionDefinition(ids(), d)),
          adding_definitions: null,
          dropping_definitions: null,
          states: null,
          num: spec.partition.definitions.length,
        } as TidbPartitionInfo);
  return {
    id: tableId,
    name: { O: spec.name, L: spec.name.toLowerCase() },
    charset,
    collate,
    cols,
    index_info: indices,
    constraint_info: null,
    fk_info: null,
    state: 5,
    pk_is_handle: pkIsHandle,
    is_common_handle: spec.clustered === true && !pkIsHandle && pk.length > 0,
    common_handle_version: spec.clustered === true && !pkIsHandle && pk.length > 0 ? 1 : 0,
    comment: '',
    auto_inc_id: 0,
    auto_id_cache: 0,
    auto_rand_id: 0,
    max_col_id: cols.length,
    max_idx_id: nextIndexId - 1,
    max_fk_id: 0,
    max_cst_id: 0,
    update_timestamp: 0,
    ShardRowIDBits: 0,
    max_shard_row_id_bits: 0,
    auto_random_bits: 0,
    auto_random_range_bits: 0,
    pre_split_regions: 0,
    partition,
    compression: '',
    view: null,
    sequence: null,
    Lock: null,
    version: 5,
    tiflash_replica: null,
    is_columnar: false,
    temp_table_type: 0,
    cache_table_status: 0,
    policy_ref_info: null,
    stats_options: null,
    exchange_partition_info: null,
    ttl_info: null,
  };
}

export function partitionDefinition(
  id: number,
  d: TidbPartitionSpec,
): TidbPartitionInfo['definitions'][number] & Record<string, unknown> {
  return {
    id,
    name: { O: d.name, L: d.name.toLowerCase() },
    less_than: [d.lessThan],
    in_values: null,
    policy_ref_info: null,
  };
}
