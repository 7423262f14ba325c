import { isIntegerType } from '@tidb-drainer/core/sdk';
import type { ColumnInfo, CommitTs, DdlEvent, RowChange, RowValues, TableInfo } from '@tidb-drainer/core/sdk';
import { handleKeyColumns, primaryKeyNames } from '../../format/handle-key.js';
import { jsonString } from '../../format/json-text.js';
import { canalMysqlType, isUnsigned } from '../../format/type-names.js';
import { valueText } from '../../format/value-text.js';
import type { EncodedMessage, RowEncoder } from '../row-encoder.js';
import { storedColumns, TablePlanCache } from '../table-plan-cache.js';
import { canalDdlType, canalSqlType } from './canal-types.js';

export interface CanalJsonOptions {
  /** Adds TiCDC's `_tidb` object (commit ts, watermarks, claim-check location). */
  readonly enableTidbExtension: boolean;
  /** Zone TIMESTAMP values are rendered in. */
  readonly zone: string;
  /** Wall clock for the `ts` field (ms); injectable so tests get stable bytes. */
  readonly now?: () => number;
}

interface TableLayout {
  /** Emitted columns: all but virtual generated ones, in table order. */
  readonly columns: readonly ColumnInfo[];
  readonly names: readonly string[];
  readonly header: string;
  readonly mysqlType: string;
  /** The `sqlType` object when no column's code depends on the row (no unsigned integers), else undefined. */
  readonly fixedSqlType: string | undefined;
}

const layouts = new TablePlanCache(buildLayout);

function layoutOf(t: TableInfo, schema: string, table: string): TableLayout {
  return layouts.get(t, schema, table);
}

function buildLayout(t: TableInfo, schema: string, table: string): TableLayout {
  const columns = storedColumns(t);
  const names = columns.map((c) => jsonString(c.name));
  const pk = primaryKeyNames(t).map(jsonString).join(',');
  const l: TableLayout = {
    columns,
    names,
    header: `{"id":0,"database":${jsonString(schema)},"table":${jsonString(table)},"pkNames":[${pk}],"isDdl":false,"type":`,
    mysqlType: `{${columns.map((c, i) => `${names[i] ?? ''}:${jsonString(canalMysqlType(c))}`).join(',')}}`,
    fixedSqlType: undefined,
  };
  return { ...l, fixedSqlType: fixedSqlTypes(l) };
}

/** A row object `{"col":"value"|null,…}`; binary strings go through ISO-8859-1 as TiCDC does. */
function rowObject(l: TableLayout, row: RowValues, zone: string): string {
  let out = '{';
  for (let i = 0; i < l.columns.length; i++) {
    const col = l.columns[i] as ColumnInfo;
    const v = row[col.offset];
    if (i > 0) out += ',';
    out += l.names[i] ?? '';
    if (v === null || v === undefined) {
      out += ':null';
      continue;
    }
    const text = valueText(col, v, zone);
    out += ':';
    out += jsonString(typeof text === 'string' ? text : Buffer.from(text.buffer, text.byteOffset, text.byteLength).toString('latin1'));
  }
  return `${out}}`;
}

function fixedSqlTypes(l: TableLayout): string | undefined {
  if (l.columns.some((c) => isUnsigned(c) && isIntegerType(c.type))) return undefined;
  return sqlTypes(l, []);
}

function sqlTypes(l: TableLayout, row: RowValues): string {
  if (l.fixedSqlType !== undefined) return l.fixedSqlType;
  let out = '{';
  for (let i = 0; i < l.columns.length; i++) {
    const col = l.columns[i] as ColumnInfo;
    if (i > 0) out += ',';
    out += `${l.names[i] ?? ''}:${canalSqlType(col, row[col.offset])}`;
  }
  return `${out}}`;
}

const esOf = (ts: CommitTs): string => (ts >> 18n).toString();

/**
 * canal-json exactly as TiCDC writes it (kafka-encodings §1): one FlatMessage per row, `old` before `data` for
 * DML, values as JSON strings, ENUM/SET as index/bitmask, `_tidb` extension optional. The Kafka key is empty.
 */
export class CanalJsonEncoder implements RowEncoder {
  readonly name = 'canal-json';
  readonly ddlPlacement = 'partition-zero';
  private readonly now: () => number;

  constructor(private readonly opts: CanalJsonOptions) {
    this.now = opts.now ?? Date.now;
  }

  private tidb(commitTs: CommitTs, extra = ''): string {
    return this.opts.enableTidbExtension ? `,"_tidb":{"commitTs":${commitTs.toString()}${extra}}` : '';
  }

  /** The value text of a row message; `extra` goes into `_tidb` after commitTs. */
  rowJson(ch: RowChange, commitTs: CommitTs, extra = '', onlyColumns?: ReadonlySet<number>): string {
    const full = layoutOf(ch.tableInfo, ch.schema, ch.table);
    const l = onlyColumns === undefined ? full : narrowLayout(full, onlyColumns);
    const row = ch.op === 'delete' ? ch.before : ch.after;
    const head = `${l.header}"${ch.op.toUpperCase()}","es":${esOf(commitTs)},"ts":${this.now()},"sql":"","sqlType":${sqlTypes(l, row)},"mysqlType":${l.mysqlType}`;
    const old = ch.op === 'update' ? `[${rowObject(l, ch.before, this.opts.zone)}]` : 'null';
    return `${head},"old":${old},"data":[${rowObject(l, row, this.opts.zone)}]${this.tidb(commitTs, extra)}}`;
  }

  encodeRow(ch: RowChange, commitTs: CommitTs): EncodedMessage {
    return { key: null, value: Buffer.from(this.rowJson(ch, commitTs), 'utf8') };
  }

  encodeClaimCheckReference(ch: RowChange, commitTs: CommitTs, location: string): EncodedMessage {
    // TiCDC sends the handle-key-only form carrying the location (kafka-encodings §6.3).
    const keys = new Set(handleKeyOrAll(ch.tableInfo));
    return { key: null, value: Buffer.from(this.rowJson(ch, commitTs, `,"claimCheckLocation":${jsonString(location)}`, keys), 'utf8') };
  }

  encodeDdl(ddl: DdlEvent): EncodedMessage {
    const s =
      `{"id":0,"database":${jsonString(ddl.schema)},"table":${jsonString(ddl.table ?? '')},"pkNames":null,"isDdl":true,` +
      `"type":${jsonString(canalDdlType(ddl.jobType))},"es":${esOf(ddl.commitTs)},"ts":${this.now()},"sql":${jsonString(ddl.query)},` +
      `"sqlType":null,"mysqlType":null,"data":null,"old":null${this.tidb(ddl.commitTs)}}`;
    return { key: null, value: Buffer.from(s, 'utf8') };
  }

  encodeWatermark(commitTs: CommitTs): EncodedMessage | undefined {
    if (!this.opts.enableTidbExtension) return undefined;
    const s =
      `{"id":0,"database":"","table":"","pkNames":null,"isDdl":false,"type":"TIDB_WATERMARK","es":${esOf(commitTs)},"ts":${this.now()},` +
      `"sql":"","sqlType":null,"mysqlType":null,"data":null,"old":null,"_tidb":{"watermarkTs":${commitTs.toString()}}}`;
    return { key: null, value: Buffer.from(s, 'utf8') };
  }
}


function handleKeyOrAll(t: TableInfo): readonly number[] {
  const k = handleKeyColumns(t);
  return k.length > 0 ? k : t.columns.map((c) => c.offset);
}

function narrowLayout(l: TableLayout, keep: ReadonlySet<number>): TableLayout {
  const idx = l.columns.map((c, i) => ({ c, i })).filter((x) => keep.has(x.c.offset));
  const columns = idx.map((x) => x.c);
  const names = idx.map((x) => l.names[x.i] ?? '');
  const narrowed = { columns, names, header: l.header, fixedSqlType: undefined, mysqlType: `{${columns.map((c, i) => `${names[i] ?? ''}:${jsonString(canalMysqlType(c))}`).join(',')}}` };
  return { ...narrowed, fixedSqlType: fixedSqlTypes(narrowed) };
}
