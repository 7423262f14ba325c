import { formatDuration } from '@tidb-drainer/core/codec';
import { MysqlType } from '@tidb-drainer/core/sdk';
import type { ColumnInfo, ColumnValue } from '@tidb-drainer/core/sdk';
import { floatText } from './render-float.js';
import { renderTime } from './render-time.js';

/**
 * The "string form" of a non-NULL value as TiCDC uses it for canal-json values and for partition hashing
 * (kafka-encodings §0.2): decimal digits for integers, BIT, YEAR, ENUM index and SET mask; fixed-notation
 * shortest floats; MySQL text for decimal, time and JSON. Character strings are returned as is and binary
 * strings as their bytes: the caller decides how to put bytes into its format.
 */
export function valueText(col: ColumnInfo, v: Exclude<ColumnValue, null>, zone: string): string | Uint8Array {
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return floatText(v, col.type === MysqlType.Float);
  if (typeof v === 'string' || v instanceof Uint8Array) return v;
  switch (v.kind) {
    case 'decimal':
      return v.text;
    case 'time':
      return renderTime(v, zone);
    case 'duration':
      return formatDuration(v);
    case 'json':
      return v.text;
    case 'enum':
      return String(v.index);
    case 'set':
      return v.mask.toString();
  }
}

/** A value as plain text with no column context (fallbacks only): enum/set by name, bytes as ISO-8859-1. */
export function plainText(v: Exclude<ColumnValue, null>): string {
  if (typeof v === 'bigint' || typeof v === 'number' || typeof v === 'string') return String(v);
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('latin1');
  switch (v.kind) {
    case 'decimal':
      return v.text;
    case 'time':
      return renderTime(v, 'UTC');
    case 'duration':
      return formatDuration(v);
    case 'json':
      return v.text;
    case 'enum':
      return v.name;
    case 'set':
      return v.names.join(',');
  }
}
