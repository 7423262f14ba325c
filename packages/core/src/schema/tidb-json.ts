import { SchemaJsonError } from './schema-errors.js';

/**
 * The subset of TiDB's JSON (`parser/model` v7.1: Job, DBInfo, TableInfo, ColumnInfo, FieldType, IndexInfo,
 * PartitionInfo) the drainer reads, as typed objects. Field names are TiDB's JSON keys, so the fake status API in the
 * testkit can produce the same shapes. Readers below validate a value parsed with `parseJsonLossless` and name the
 * offending field on error; every id must be a safe integer (TiDB's global ids stay below 2^48).
 */
export interface TidbCIStr {
  readonly O: string;
  readonly L: string;
}

/** `types.FieldType` JSON (its keys are the Go field names). */
export interface TidbFieldType {
  readonly Tp: number;
  readonly Flag: number;
  readonly Flen: number;
  readonly Decimal: number;
  readonly Charset: string;
  readonly Collate: string;
  readonly Elems: readonly string[] | null;
}

/** Column default as TiDB stores it: a string for almost every type (numbers kept as written), or null. */
export type TidbDefault = string | number | bigint | boolean | null;

export interface TidbColumnInfo {
  readonly id: number;
  readonly name: TidbCIStr;
  readonly offset: number;
  readonly origin_default: TidbDefault;
  /** BIT columns: base64 of the default's bytes (Go `[]byte`), overriding `origin_default`. */
  readonly origin_default_bit: string | null;
  readonly default: TidbDefault;
  readonly default_bit: string | null;
  readonly default_is_expr?: boolean;
  readonly generated_expr_string: string;
  readonly generated_stored: boolean;
  readonly type: TidbFieldType;
  readonly state: number;
  readonly hidden?: boolean;
  readonly comment?: string;
}

export interface TidbIndexColumn {
  readonly name: TidbCIStr;
  readonly offset: number;
  readonly length: number;
}

export interface TidbIndexInfo {
  readonly id: number;
  readonly idx_name: TidbCIStr;
  readonly idx_cols: readonly TidbIndexColumn[];
  readonly state: number;
  readonly is_unique: boolean;
  readonly is_primary: boolean;
}

export interface TidbPartitionDefinition {
  readonly id: number;
  readonly name: TidbCIStr;
}

export interface TidbPartitionInfo {
  readonly type: number;
  readonly expr: string;
  readonly enable: boolean;
  readonly definitions: readonly TidbPartitionDefinition[];
}

export interface TidbTableInfo {
  readonly id: number;
  readonly name: TidbCIStr;
  readonly charset: string;
  readonly collate: string;
  readonly cols: readonly TidbColumnInfo[];
  readonly index_info: readonly TidbIndexInfo[];
  readonly state: number;
  readonly pk_is_handle: boolean;
  readonly is_common_handle: boolean;
  readonly partition: TidbPartitionInfo | null;
}

export interface TidbDbInfo {
  readonly id: number;
  readonly db_name: TidbCIStr;
  readonly charset: string;
  readonly collate: string;
  readonly state: number;
}

/** `model.HistoryInfo`: its JSON keys are Go field names (no tags). */
export interface TidbHistoryInfo {
  readonly SchemaVersion: number;
  readonly DBInfo: TidbDbInfo | null;
  readonly TableInfo: TidbTableInfo | null;
  /** A TSO: a bigint when above 2^53. */
  readonly FinishedTS: bigint | number;
  readonly MultipleTableInfos: readonly TidbTableInfo[] | null;
}

export interface TidbJob {
  readonly id: number;
  readonly type: number;
  readonly schema_id: number;
  readonly table_id: number;
  readonly schema_name: string;
  readonly table_name: string;
  readonly state: number;
  readonly schema_state: number;
  readonly query: string;
  readonly binlog: TidbHistoryInfo | null;
}

type Obj = Readonly<Record<string, unknown>>;

function fail(path: string, what: string): never {
  throw new SchemaJsonError(`invalid TiDB JSON at ${path}: ${what}`, { path });
}

function asObj(v: unknown, path: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(path, 'expected an object');
  return v as Obj;
}

function asArray(v: unknown, path: string): readonly unknown[] {
  if (v === null || v === undefined) return [];
  if (!Array.isArray(v)) fail(path, 'expected an array');
  return v;
}

/** A safe integer; `bigint` (outside 2^53) is rejected where TiDB only writes small values (ids, versions, enums). */
function int(o: Obj, key: string, path: string, fallback?: number): number {
  const v = o[key];
  if (v === undefined && fallback !== undefined) return fallback;
  if (typeof v !== 'number' || !Number.isSafeInteger(v))
    fail(`${path}.${key}`, `expected a safe integer, got ${String(v)}`);
  return v;
}

function str(o: Obj, key: string, path: string, fallback?: string): string {
  const v = o[key];
  if ((v === undefined || v === null) && fallback !== undefined) return fallback;
  if (typeof v !== 'string') fail(`${path}.${key}`, 'expected a string');
  return v;
}

function bool(o: Obj, key: string): boolean {
  return o[key] === true;
}

function ciStr(v: unknown, path: string): TidbCIStr {
  const o = asObj(v, path);
  const original = str(o, 'O', path);
  return { O: original, L: str(o, 'L', path, original.toLowerCase()) };
}

function defaultValue(v: unknown, path: string): TidbDefault {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return v;
  fail(path, 'expected a scalar default value');
}

export function readTidbFieldType(v: unknown, path: string): TidbFieldType {
  const o = asObj(v, path);
  return {
    Tp: int(o, 'Tp', path),
    Flag: int(o, 'Flag', path, 0),
    Flen: int(o, 'Flen', path, -1),
    Decimal: int(o, 'Decimal', path, -1),
    Charset: str(o, 'Charset', path, ''),
    Collate: str(o, 'Collate', path, ''),
    Elems:
      o['Elems'] === null || o['Elems'] === undefined
        ? null
        : asArray(o['Elems'], `${path}.Elems`).map((e, i) => {
            if (typeof e !== 'string') fail(`${path}.Elems[${i}]`, 'expected a string');
            return e;
          }),
  };
}

export function readTidbColumnInfo(v: unknown, path: string): TidbColumnInfo {
  const o = asObj(v, path);
  const bit = (key: string): string | null => {
    const v = o[key];
    return typeof v === 'string' ? v : null;
  };
  return {
    id: int(o, 'id', path),
    name: ciStr(o['name'], `${path}.name`),
    offset: int(o, 'offset', path),
    origin_default: defaultValue(o['origin_default'], `${path}.origin_default`),
    origin_default_bit: bit('origin_default_bit'),
    default: defaultValue(o['default'], `${path}.default`),
    default_bit: bit('default_bit'),
    default_is_expr: bool(o, 'default_is_expr'),
    generated_expr_string: str(o, 'generated_expr_string', path, ''),
    generated_stored: bool(o, 'generated_stored'),
    type: readTidbFieldType(o['type'], `${path}.type`),
    state: int(o, 'state', path),
    hidden: bool(o, 'hidden'),
    comment: str(o, 'comment', path, ''),
  };
}

export function readTidbIndexInfo(v: unknown, path: string): TidbIndexInfo {
  const o = asObj(v, path);
  return {
    id: int(o, 'id', path),
    idx_name: ciStr(o['idx_name'], `${path}.idx_name`),
    idx_cols: asArray(o['idx_cols'], `${path}.idx_cols`).map((c, i) => {
      const p = `${path}.idx_cols[${i}]`;
      const co = asObj(c, p);
      return { name: ciStr(co['name'], `${p}.name`), offset: int(co, 'offset', p), length: int(co, 'length', p, -1) };
    }),
    state: int(o, 'state', path),
    is_unique: bool(o, 'is_unique'),
    is_primary: bool(o, 'is_primary'),
  };
}

export function readTidbTableInfo(v: unknown, path: string): TidbTableInfo {
  const o = asObj(v, path);
  const part = o['partition'];
  let partition: TidbPartitionInfo | null = null;
  if (part !== null && part !== undefined) {
    const pp = `${path}.partition`;
    const po = asObj(part, pp);
    partition = {
      type: int(po, 'type', pp, 0),
      expr: str(po, 'expr', pp, ''),
      enable: bool(po, 'enable'),
      definitions: asArray(po['definitions'], `${pp}.definitions`).map((d, i) => {
        const dp = `${pp}.definitions[${i}]`;
        const dobj = asObj(d, dp);
        return { id: int(dobj, 'id', dp), name: ciStr(dobj['name'], `${dp}.name`) };
      }),
    };
  }
  return {
    id: int(o, 'id', path),
    name: ciStr(o['name'], `${path}.name`),
    charset: str(o, 'charset', path, ''),
    collate: str(o, 'collate', path, ''),
    cols: asArray(o['cols'], `${path}.cols`).map((c, i) => readTidbColumnInfo(c, `${path}.cols[${i}]`)),
    index_info: asArray(o['index_info'], `${path}.index_info`).map((c, i) =>
      readTidbIndexInfo(c, `${path}.index_info[${i}]`),
    ),
    state: int(o, 'state', path, 5),
    pk_is_handle: bool(o, 'pk_is_handle'),
    is_common_handle: bool(o, 'is_common_handle'),
    partition,
  };
}

export function readTidbDbInfo(v: unknown, path: string): TidbDbInfo {
  const o = asObj(v, path);
  return {
    id: int(o, 'id', path),
    db_name: ciStr(o['db_name'], `${path}.db_name`),
    charset: str(o, 'charset', path, ''),
    collate: str(o, 'collate', path, ''),
    state: int(o, 'state', path, 5),
  };
}

/** Reads one `model.Job` (as served by `/ddl/history` and stored in TiDB's DDL history). */
export function readTidbJob(v: unknown, path = 'job'): TidbJob {
  const o = asObj(v, path);
  const b = o['binlog'];
  let binlog: TidbHistoryInfo | null = null;
  if (b !== null && b !== undefined) {
    const bp = `${path}.binlog`;
    const bo = asObj(b, bp);
    const fts = bo['FinishedTS'];
    binlog = {
      SchemaVersion: int(bo, 'SchemaVersion', bp, 0),
      DBInfo: bo['DBInfo'] === null || bo['DBInfo'] === undefined ? null : readTidbDbInfo(bo['DBInfo'], `${bp}.DBInfo`),
      TableInfo:
        bo['TableInfo'] === null || bo['TableInfo'] === undefined
          ? null
          : readTidbTableInfo(bo['TableInfo'], `${bp}.TableInfo`),
      FinishedTS: typeof fts === 'number' || typeof fts === 'bigint' ? fts : 0,
      MultipleTableInfos:
        bo['MultipleTableInfos'] === null || bo['MultipleTableInfos'] === undefined
          ? null
          : asArray(bo['MultipleTableInfos'], `${bp}.MultipleTableInfos`).map((t, i) =>
              readTidbTableInfo(t, `${bp}.MultipleTableInfos[${i}]`),
            ),
    };
  }
  return {
    id: int(o, 'id', path),
    type: int(o, 'type', path),
    schema_id: int(o, 'schema_id', path, 0),
    table_id: int(o, 'table_id', path, 0),
    schema_name: str(o, 'schema_name', path, ''),
    table_name: str(o, 'table_name', path, ''),
    state: int(o, 'state', path),
    schema_state: int(o, 'schema_state', path, 0),
    query: str(o, 'query', path, ''),
    binlog,
  };
}

/** The job's schema version (`binlog.SchemaVersion`; 0 for failed / never-finished jobs). */
export function jobSchemaVersion(job: TidbJob): number {
  return job.binlog?.SchemaVersion ?? 0;
}
