import { formatDuration } from '@tidb-drainer/core/codec';
import { MysqlType } from '@tidb-drainer/core/sdk';
import type { ColumnInfo } from '@tidb-drainer/core/sdk';
import { jsonString } from '../../format/json-text.js';
import { renderTime } from '../../format/render-time.js';
import { isBinaryStringColumn, isUnsigned } from '../../format/type-names.js';
import { unsignedBytes } from './avro-binary-writer.js';

/** How one column's value is written (tagged on `kind`). */
export type AvroKind =
  | 'int' | 'long' | 'ulong-wrap' | 'ulong-string' | 'float' | 'double' | 'decimal-bytes' | 'decimal-string'
  | 'text' | 'bytes' | 'bit' | 'enum' | 'set' | 'string-form';

export interface AvroField {
  readonly name: string;
  readonly col: ColumnInfo;
  readonly kind: AvroKind;
  /** Union branch of NULL: 0 for ["null",T], 1 for [T,"null"], undefined when the field is not a union. */
  readonly nullBranch: 0 | 1 | undefined;
  /** Scale of a decimal-bytes column. */
  readonly scale: number;
}

export interface AvroModes {
  readonly decimal: 'precise' | 'string';
  readonly bigintUnsigned: 'long' | 'string';
}

/**
 * Avro names (TiCDC `SanitizeName`): first character `[A-Za-z_]`, else `_` (a leading digit is kept after it);
 * every later character outside `[A-Za-z0-9_]` becomes `_`.
 */
export function sanitizeAvroName(name: string): string {
  const chars = [...name];
  let out = '';
  chars.forEach((c, i) => {
    if (i === 0) {
      if (/^[A-Za-z_]$/.test(c)) out += c;
      else out += /^[0-9]$/.test(c) ? `_${c}` : '_';
    } else out += /^[A-Za-z0-9_]$/.test(c) ? c : '_';
  });
  return out;
}

/** ENUM/SET members for `allowed`, escaped Debezium-style: `,` → `\,`. */
export function allowedList(elems: readonly string[]): string {
  return elems.map((e) => e.replaceAll("\\'", "'").replaceAll("''", "'").replaceAll(',', '\\,')).join(',');
}

interface TypeInfo {
  readonly kind: AvroKind;
  readonly avroType: string;
  readonly tidbType: string;
  readonly extraParams?: Readonly<Record<string, string>>;
  readonly decimal?: { readonly precision: number; readonly scale: number };
}

function typeInfo(col: ColumnInfo, modes: AvroModes): TypeInfo {
  const uns = isUnsigned(col);
  switch (col.type) {
    case MysqlType.Tiny:
    case MysqlType.Short:
    case MysqlType.Int24:
      return { kind: 'int', avroType: 'int', tidbType: uns ? 'INT UNSIGNED' : 'INT' };
    case MysqlType.Long:
      return uns ? { kind: 'long', avroType: 'long', tidbType: 'INT UNSIGNED' } : { kind: 'int', avroType: 'int', tidbType: 'INT' };
    case MysqlType.LongLong:
      if (!uns) return { kind: 'long', avroType: 'long', tidbType: 'BIGINT' };
      return modes.bigintUnsigned === 'long'
        ? { kind: 'ulong-wrap', avroType: 'long', tidbType: 'BIGINT UNSIGNED' }
        : { kind: 'ulong-string', avroType: 'string', tidbType: 'BIGINT UNSIGNED' };
    case MysqlType.Float:
      return { kind: 'float', avroType: 'float', tidbType: 'FLOAT' };
    case MysqlType.Double:
      return { kind: 'double', avroType: 'double', tidbType: 'DOUBLE' };
    case MysqlType.Decimal:
    case MysqlType.NewDecimal:
      if (modes.decimal === 'string') return { kind: 'decimal-string', avroType: 'string', tidbType: 'DECIMAL' };
      return {
        kind: 'decimal-bytes', avroType: 'bytes', tidbType: 'DECIMAL',
        decimal: { precision: col.length > 0 ? col.length : 10, scale: col.decimal > 0 ? col.decimal : 0 },
      };
    case MysqlType.Bit:
      return { kind: 'bit', avroType: 'bytes', tidbType: 'BIT', extraParams: { length: String(col.length) } };
    case MysqlType.Enum:
      return { kind: 'enum', avroType: 'string', tidbType: 'ENUM', extraParams: { allowed: allowedList(col.elems) } };
    case MysqlType.Set:
      return { kind: 'set', avroType: 'string', tidbType: 'SET', extraParams: { allowed: allowedList(col.elems) } };
    case MysqlType.Json:
      return { kind: 'string-form', avroType: 'string', tidbType: 'JSON' };
    case MysqlType.Date:
    case MysqlType.NewDate:
      return { kind: 'string-form', avroType: 'string', tidbType: 'DATE' };
    case MysqlType.Datetime:
      return { kind: 'string-form', avroType: 'string', tidbType: 'DATETIME' };
    case MysqlType.Timestamp:
      return { kind: 'string-form', avroType: 'string', tidbType: 'TIMESTAMP' };
    case MysqlType.Duration:
      return { kind: 'string-form', avroType: 'string', tidbType: 'TIME' };
    case MysqlType.Year:
      return { kind: 'int', avroType: 'int', tidbType: 'YEAR' };
    default:
      return isBinaryStringColumn(col) ? { kind: 'bytes', avroType: 'bytes', tidbType: 'BLOB' } : { kind: 'text', avroType: 'string', tidbType: 'TEXT' };
  }
}

/** JSON text of a column default for the schema, converted like a value (TiCDC rules), or undefined. */
function defaultJson(col: ColumnInfo, info: TypeInfo, zone: string): string | undefined {
  const d = col.defaultValue;
  if (d === undefined || d === null) return undefined;
  if (typeof d === 'bigint') {
    if (info.kind === 'ulong-wrap') return BigInt.asIntN(64, d).toString();
    if (info.kind === 'ulong-string') return jsonString(d.toString());
    if (info.kind === 'bit') return jsonString(Buffer.from(unsignedBytes(d)).toString('base64'));
    return d.toString();
  }
  if (typeof d === 'number') return Number.isFinite(d) ? String(d) : '0';
  if (typeof d === 'string') return jsonString(d);
  if (d instanceof Uint8Array) return jsonString(Buffer.from(d).toString('latin1'));
  switch (d.kind) {
    case 'decimal': return info.kind === 'decimal-string' ? jsonString(d.text) : undefined;
    case 'time': return jsonString(renderTime(d, zone));
    case 'duration': return jsonString(formatDuration(d));
    case 'json': return jsonString(d.text);
    case 'enum': return jsonString(d.name);
    case 'set': return jsonString(d.names.join(','));
  }
}

function typeObject(info: TypeInfo): string {
  const params: Record<string, string> = { ...(info.extraParams ?? {}), tidb_type: info.tidbType };
  // Go marshals the parameter map with sorted keys.
  const p = Object.keys(params).sort().map((k) => `${jsonString(k)}:${jsonString(params[k] ?? '')}`).join(',');
  let s = `{"type":"${info.avroType}","connect.parameters":{${p}}`;
  if (info.decimal !== undefined) s += `,"logicalType":"decimal","precision":${info.decimal.precision},"scale":${info.decimal.scale}`;
  return `${s}}`;
}

export interface TableAvroSchema {
  readonly fields: readonly AvroField[];
  /** Compact schema JSON as registered. */
  readonly text: string;
}

/**
 * TiCDC's Avro schema of a table's key (handle-key columns) or value (every non-virtual column, then the `_tidb_*`
 * extension fields): record named after the table in namespace `<cluster>.<schema>`, field objects with keys
 * `default, name, type`, nullability and defaults deciding union order (kafka-encodings §2.3–2.6).
 */
export function tableAvroSchema(
  schema: string, table: string, cols: readonly ColumnInfo[], modes: AvroModes, clusterName: string, extension: boolean, zone: string,
): TableAvroSchema {
  const fields: AvroField[] = [];
  const parts: string[] = [];
  for (const col of cols) {
    const info = typeInfo(col, modes);
    const name = sanitizeAvroName(col.name);
    const typeObj = typeObject(info);
    let nullBranch: 0 | 1 | undefined;
    let json: string;
    if (info.kind === 'decimal-bytes') {
      nullBranch = col.nullable ? 0 : undefined;
      json = col.nullable ? `{"default":null,"name":${jsonString(name)},"type":["null",${typeObj}]}` : `{"name":${jsonString(name)},"type":${typeObj}}`;
    } else {
      const def = defaultJson(col, info, zone);
      if (col.nullable) {
        nullBranch = def === undefined ? 0 : 1;
        json = def === undefined
          ? `{"default":null,"name":${jsonString(name)},"type":["null",${typeObj}]}`
          : `{"default":${def},"name":${jsonString(name)},"type":[${typeObj},"null"]}`;
      } else {
        nullBranch = undefined;
        json = def === undefined ? `{"name":${jsonString(name)},"type":${typeObj}}` : `{"default":${def},"name":${jsonString(name)},"type":${typeObj}}`;
      }
    }
    fields.push({ name, col, kind: info.kind, nullBranch, scale: info.decimal?.scale ?? 0 });
    parts.push(json);
  }
  if (extension) {
    parts.push('{"default":"","name":"_tidb_op","type":"string"}', '{"default":0,"name":"_tidb_commit_ts","type":"long"}', '{"default":0,"name":"_tidb_commit_physical_time","type":"long"}');
  }
  const namespace = `${sanitizeAvroName(clusterName)}.${sanitizeAvroName(schema)}`;
  const text = `{"type":"record","name":${jsonString(sanitizeAvroName(table))},"namespace":${jsonString(namespace)},"fields":[${parts.join(',')}]}`;
  return { fields, text };
}

/** The unscaled integer of a decimal text at `scale` fraction digits ("12.5", 2 → 1250n). */
export function unscaledDecimal(text: string, scale: number): bigint {
  const neg = text.startsWith('-');
  const body = neg || text.startsWith('+') ? text.slice(1) : text;
  const [intPart = '0', frac = ''] = body.split('.');
  const f = frac.length >= scale ? frac.slice(0, scale) : frac.padEnd(scale, '0');
  const v = BigInt(`${intPart === '' ? '0' : intPart}${f}` || '0');
  return neg ? -v : v;
}

