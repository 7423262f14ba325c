import type { ColumnValue } from '../model/values.js';
import type { ColumnInfo, IndexInfo, TableInfo } from '../model/table-info.js';
import { ColumnFlag, MysqlType } from '../model/mysql-type.js';
import { SchemaState } from './ddl-action.js';
import { SchemaJsonError } from './schema-errors.js';
import type { TidbColumnInfo, TidbDefault, TidbTableInfo } from './tidb-json.js';
import { columnTypeText } from './type-text.js';

/**
 * Turns a column's stored default (TiDB's JSON: a string for most types, raw bytes for BIT) into a model value of the
 * column's type. The codec owns the per-type rules; the schema layer only hands over what TiDB stored.
 */
export type DefaultValueParser = (column: ColumnInfo, raw: string | Uint8Array) => ColumnValue;

export interface ToModelOptions {
  readonly schema: string;
  readonly schemaVersion: number;
  readonly parseDefault: DefaultValueParser;
}

/** TiDB's synthetic index name for the primary key of a pk-is-handle table (which has no IndexInfo of its own). */
const PRIMARY = 'PRIMARY';

function rawDefault(value: TidbDefault, bit: string | null, tp: number): string | Uint8Array | undefined {
  // BIT defaults are stored as the bytes of the value (base64 in JSON); `default` itself is corrupted by the JSON
  // round trip in TiDB, which is why TiDB reads `*_bit` first.
  if (tp === MysqlType.Bit && bit !== null) return Buffer.from(bit, 'base64');
  if (value === null) return undefined;
  return typeof value === 'string' ? value : String(value);
}

function toColumn(c: TidbColumnInfo, offset: number, parseDefault: DefaultValueParser, path: string): ColumnInfo {
  const ft = c.type;
  const base: ColumnInfo = {
    id: c.id,
    name: c.name.O,
    offset,
    type: ft.Tp,
    flag: ft.Flag,
    length: ft.Flen,
    decimal: ft.Decimal,
    charset: ft.Charset,
    collation: ft.Collate,
    elems: ft.Elems ?? [],
    unsigned: (ft.Flag & ColumnFlag.Unsigned) !== 0,
    nullable: (ft.Flag & ColumnFlag.NotNull) === 0,
    generated: c.generated_expr_string !== '',
    generatedStored: c.generated_stored,
    ...(c.generated_expr_string !== '' ? { generatedExpr: c.generated_expr_string } : {}),
    hidden: c.hidden === true,
    typeText: columnTypeText(ft),
  };
  const parse = (raw: string | Uint8Array | undefined, which: string): ColumnValue | undefined => {
    if (raw === undefined) return undefined;
    try {
      return parseDefault(base, raw);
    } catch (err) {
      throw new SchemaJsonError(
        `cannot parse ${which} ${JSON.stringify(String(raw))} of column ${c.name.O}: ${(err as Error).message}`,
        {
          path: `${path}.${which}`,
        },
      );
    }
  };
  // Expression defaults (CURRENT_TIMESTAMP, RAND(), …) have no fixed value; only the origin default matters for rows.
  const isExpr = c.default_is_expr === true || (typeof c.default === 'string' && /^current_timestamp/i.test(c.default));
  const defaultValue = isExpr ? undefined : parse(rawDefault(c.default, c.default_bit, ft.Tp), 'default');
  const originDefault = parse(rawDefault(c.origin_default, c.origin_default_bit, ft.Tp), 'origin_default');
  return {
    ...base,
    ...(defaultValue !== undefined ? { defaultValue } : {}),
    ...(originDefault !== undefined ? { originDefault } : {}),
  };
}

/**
 * Converts TiDB's `model.TableInfo` into the model the sinks see.
 *
 * - Only public columns and indices are kept (a finished DDL job never leaves others behind); offsets are positions in
 *   the kept list and index columns are re-mapped by name.
 * - A pk-is-handle table has no primary IndexInfo in TiDB; one named `PRIMARY` (id 0) is synthesised on the column
 *   carrying the PriKey flag so `handleKeyIndex` finds it.
 */
export function toModelTableInfo(t: TidbTableInfo, opts: ToModelOptions, path = 'TableInfo'): TableInfo {
  const columns: ColumnInfo[] = [];
  const byName = new Map<string, number>();
  t.cols.forEach((c, i) => {
    if (c.state !== SchemaState.Public) return;
    const col = toColumn(c, columns.length, opts.parseDefault, `${path}.cols[${i}]`);
    byName.set(c.name.L, col.offset);
    columns.push(col);
  });
  const indices: IndexInfo[] = [];
  if (t.pk_is_handle) {
    const pk = columns.find((c) => (c.flag & ColumnFlag.PriKey) !== 0);
    if (pk === undefined)
      throw new SchemaJsonError(`table ${t.name.O} is pk_is_handle but no column has the primary key flag`, { path });
    indices.push({ id: 0, name: PRIMARY, primary: true, unique: true, columns: [pk.offset], lengths: [-1] });
  }
  for (const [i, idx] of t.index_info.entries()) {
    if (idx.state !== SchemaState.Public) continue;
    const offsets: number[] = [];
    for (const ic of idx.idx_cols) {
      const off = byName.get(ic.name.L);
      if (off === undefined) {
        throw new SchemaJsonError(`index ${idx.idx_name.O} of table ${t.name.O} names unknown column ${ic.name.O}`, {
          path: `${path}.index_info[${i}]`,
        });
      }
      offsets.push(off);
    }
    indices.push({
      id: idx.id,
      name: idx.idx_name.O,
      primary: idx.is_primary,
      unique: idx.is_unique || idx.is_primary,
      columns: offsets,
      lengths: idx.idx_cols.map((ic) => ic.length),
    });
  }
  return {
    id: t.id,
    schema: opts.schema,
    name: t.name.O,
    columns,
    indices,
    pkIsHandle: t.pk_is_handle,
    isCommonHandle: t.is_common_handle,
    ...(t.partition !== null
      ? { partition: { definitions: t.partition.definitions.map((d) => ({ id: d.id, name: d.name.O })) } }
      : {}),
    schemaVersion: opts.schemaVersion,
    charset: t.charset,
    collation: t.collate,
  };
}
