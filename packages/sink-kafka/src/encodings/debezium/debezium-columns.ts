import { MysqlType } from '@tidb-drainer/core/sdk';
import type { ColumnInfo, ColumnValue, TimeValue } from '@tidb-drainer/core/sdk';
import { jsonString } from '../../format/json-text.js';
import { shortestFloat32 } from '../../format/render-float.js';
import { timeInZone } from '../../format/render-time.js';
import { isBinaryStringColumn, isUnsigned, typeToStr } from '../../format/type-names.js';
import { allowedList } from '../avro/avro-table-schema.js';
import { plainText } from '../../format/value-text.js';

/** Value writer kinds for TiCDC's Debezium mapping (kafka-encodings §3.2 value table). */
type Kind = 'int' | 'float32' | 'float64' | 'decimal-double' | 'bool-bit' | 'bits' | 'string' | 'base64' | 'enum' | 'set' | 'json' | 'year' | 'date' | 'ts-ms' | 'ts-us' | 'zoned' | 'micro-time';

export interface DebeziumColumn {
  readonly col: ColumnInfo;
  readonly kind: Kind;
  /** The column's field schema JSON (keys: [tidb_type], type, optional, name/version/parameters, field, default). */
  readonly schemaJson: string;
}

interface Shape {
  readonly kind: Kind;
  readonly type: string;
  readonly semantic?: string;
  readonly parameters?: Readonly<Record<string, string>>;
}

function shape(col: ColumnInfo): Shape {
  const uns = isUnsigned(col);
  switch (col.type) {
    case MysqlType.Tiny: return { kind: 'int', type: 'int16' };
    case MysqlType.Short: return { kind: 'int', type: uns ? 'int32' : 'int16' };
    case MysqlType.Int24: return { kind: 'int', type: 'int32' };
    case MysqlType.Long: return { kind: 'int', type: uns ? 'int64' : 'int32' };
    case MysqlType.LongLong: return { kind: 'int', type: 'int64' };
    case MysqlType.Float: return col.decimal > 0 ? { kind: 'float64', type: 'double' } : { kind: 'float32', type: 'float' };
    case MysqlType.Double: return { kind: 'float64', type: 'double' };
    case MysqlType.Decimal:
    case MysqlType.NewDecimal: return { kind: 'decimal-double', type: 'double' };
    case MysqlType.Bit:
      return col.length === 1 ? { kind: 'bool-bit', type: 'boolean' } : { kind: 'bits', type: 'bytes', semantic: 'io.debezium.data.Bits', parameters: { length: String(col.length) } };
    case MysqlType.Enum: return { kind: 'enum', type: 'string', semantic: 'io.debezium.data.Enum', parameters: { allowed: allowedList(col.elems) } };
    case MysqlType.Set: return { kind: 'set', type: 'string', semantic: 'io.debezium.data.EnumSet', parameters: { allowed: allowedList(col.elems) } };
    case MysqlType.Json: return { kind: 'json', type: 'string', semantic: 'io.debezium.data.Json' };
    case MysqlType.Year: return { kind: 'year', type: 'int32', semantic: 'io.debezium.time.Year' };
    case MysqlType.Date:
    case MysqlType.NewDate: return { kind: 'date', type: 'int32', semantic: 'io.debezium.time.Date' };
    case MysqlType.Datetime:
      return col.decimal > 3 ? { kind: 'ts-us', type: 'int64', semantic: 'io.debezium.time.MicroTimestamp' } : { kind: 'ts-ms', type: 'int64', semantic: 'io.debezium.time.Timestamp' };
    case MysqlType.Timestamp: return { kind: 'zoned', type: 'string', semantic: 'io.debezium.time.ZonedTimestamp' };
    case MysqlType.Duration: return { kind: 'micro-time', type: 'int64', semantic: 'io.debezium.time.MicroTime' };
    default: return isBinaryStringColumn(col) ? { kind: 'base64', type: 'string' } : { kind: 'string', type: 'string' };
  }
}

function tidbType(col: ColumnInfo): string {
  const numeric = [MysqlType.Tiny, MysqlType.Short, MysqlType.Int24, MysqlType.Long, MysqlType.LongLong, MysqlType.Float, MysqlType.Double, MysqlType.NewDecimal, MysqlType.Decimal].includes(col.type as 1);
  return `${typeToStr(col)}${numeric && isUnsigned(col) ? ' unsigned' : ''}`;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

function epochMs(t: { year: number; month: number; day: number; hour: number; minute: number; second: number }): number {
  const d = new Date(0);
  d.setUTCFullYear(t.year, t.month - 1, t.day);
  d.setUTCHours(t.hour, t.minute, t.second, 0);
  return d.getTime();
}

function isZeroDate(t: TimeValue): boolean {
  return t.year === 0 && t.month === 0 && t.day === 0;
}

/** The JSON text of a non-NULL value; undefined = write `null` (invalid dates in nullable columns). */
export function debeziumValue(c: DebeziumColumn, v: Exclude<ColumnValue, null>, zone: string): string | undefined {
  const asBig = (): bigint => (typeof v === 'bigint' ? v : typeof v === 'number' ? BigInt(Math.trunc(v)) : 0n);
  switch (c.kind) {
    case 'int':
    case 'year':
      return BigInt.asIntN(64, asBig()).toString();
    case 'float32':
      return typeof v === 'number' && Number.isFinite(v) ? shortestFloat32(v) : '0';
    case 'float64':
      return typeof v === 'number' && Number.isFinite(v) ? String(v) : '0';
    case 'decimal-double': {
      const n = typeof v === 'object' && !(v instanceof Uint8Array) && v.kind === 'decimal' ? Number(v.text) : Number(v);
      return Number.isFinite(n) ? String(n) : '0';
    }
    case 'bool-bit':
      return asBig() !== 0n ? 'true' : 'false';
    case 'bits': {
      const n = Math.max(1, Math.ceil(c.col.length / 8));
      const out = Buffer.alloc(n);
      let x = BigInt.asUintN(64, asBig());
      for (let i = 0; i < n; i++) {
        out[i] = Number(x & 0xffn);
        x >>= 8n;
      }
      return jsonString(out.toString('base64'));
    }
    case 'base64':
      return jsonString(Buffer.from(v instanceof Uint8Array ? v : new TextEncoder().encode(plainText(v))).toString('base64'));
    case 'string':
      return jsonString(typeof v === 'string' ? v : v instanceof Uint8Array ? new TextDecoder().decode(v) : plainText(v));
    case 'enum':
      return jsonString(typeof v === 'object' && !(v instanceof Uint8Array) && v.kind === 'enum' ? v.name : '');
    case 'set':
      return jsonString(typeof v === 'object' && !(v instanceof Uint8Array) && v.kind === 'set' ? v.names.join(',') : '');
    case 'json':
      return jsonString(typeof v === 'object' && !(v instanceof Uint8Array) && v.kind === 'json' ? v.text : plainText(v));
    case 'micro-time':
      return typeof v === 'object' && !(v instanceof Uint8Array) && v.kind === 'duration' ? (v.nanos / 1000n).toString() : '0';
    case 'date':
    case 'ts-ms':
    case 'ts-us':
    case 'zoned': {
      if (typeof v !== 'object' || v instanceof Uint8Array || v.kind !== 'time') return undefined;
      if (isZeroDate(v)) {
        if (c.kind === 'zoned') return jsonString('1970-01-01T00:00:00Z');
        return c.col.nullable ? undefined : '0';
      }
      if (c.kind === 'date') return String(Math.floor(epochMs({ ...v, hour: 0, minute: 0, second: 0 }) / 86_400_000));
      if (c.kind === 'ts-ms') return String(epochMs(v) + Math.floor(v.microsecond / 1000));
      if (c.kind === 'ts-us') return (BigInt(epochMs(v)) * 1000n + BigInt(v.microsecond)).toString();
      // TIMESTAMP is stored in UTC: printed in UTC with the column's fsp.
      const u = timeInZone(v, 'UTC');
      const frac = v.fsp > 0 ? `.${pad(v.microsecond, 6).slice(0, v.fsp)}` : '';
      void zone;
      return jsonString(`${pad(u.year, 4)}-${pad(u.month)}-${pad(u.day)}T${pad(u.hour)}:${pad(u.minute)}:${pad(u.second)}${frac}Z`);
    }
  }
}

/** Column descriptors with their schema JSON for a list of columns. */
export function debeziumColumns(cols: readonly ColumnInfo[], withTidbType: boolean, zone: string, forKey: boolean): readonly DebeziumColumn[] {
  return cols.map((col) => {
    const s = shape(col);
    let json = '{';
    if (withTidbType) json += `"tidb_type":${jsonString(tidbType(col))},`;
    json += `"type":"${s.type}","optional":${!forKey && col.nullable}`;
    if (s.semantic !== undefined) {
      json += `,"name":"${s.semantic}","version":1`;
      if (s.parameters !== undefined) json += `,"parameters":{${Object.entries(s.parameters).map(([k, x]) => `${jsonString(k)}:${jsonString(x)}`).join(',')}}`;
    }
    json += `,"field":${jsonString(col.name)}`;
    const dc: DebeziumColumn = { col, kind: s.kind, schemaJson: '' };
    if (!forKey && col.defaultValue !== undefined && col.defaultValue !== null) {
      const d = debeziumValue(dc, col.defaultValue, zone);
      if (d !== undefined) json += `,"default":${d}`;
    }
    return { ...dc, schemaJson: `${json}}` };
  });
}
