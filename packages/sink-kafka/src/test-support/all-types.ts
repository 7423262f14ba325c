import { MysqlType } from '@tidb-drainer/core/sdk';
import type { ColumnValue, TableInfo } from '@tidb-drainer/core/sdk';
import { makeTable } from './make-table.js';

/** One column of every MySQL type the model knows, with two rows of edge values and a row of NULLs. */
export const allTypes: TableInfo = makeTable('types', 'all', [
  { name: 'id', type: MysqlType.LongLong, pk: true, length: 20, decimal: 0 },
  { name: 'ti', type: MysqlType.Tiny, length: 4, decimal: 0 },
  { name: 'tiu', type: MysqlType.Tiny, unsigned: true, length: 3, decimal: 0 },
  { name: 'si', type: MysqlType.Short, length: 6, decimal: 0 },
  { name: 'mi', type: MysqlType.Int24, length: 9, decimal: 0 },
  { name: 'i', type: MysqlType.Long, length: 11, decimal: 0 },
  { name: 'iu', type: MysqlType.Long, unsigned: true, length: 10, decimal: 0 },
  { name: 'bi', type: MysqlType.LongLong, length: 20, decimal: 0 },
  { name: 'biu', type: MysqlType.LongLong, unsigned: true, length: 20, decimal: 0 },
  { name: 'f', type: MysqlType.Float, length: 12, decimal: -1 },
  { name: 'd', type: MysqlType.Double, length: 22, decimal: -1 },
  { name: 'dec', type: MysqlType.NewDecimal, length: 30, decimal: 10 },
  { name: 'dt', type: MysqlType.Date, length: 10, decimal: 0 },
  { name: 'dtm', type: MysqlType.Datetime, length: 26, decimal: 6 },
  { name: 'ts', type: MysqlType.Timestamp, length: 23, decimal: 3 },
  { name: 'tm', type: MysqlType.Duration, length: 15, decimal: 4 },
  { name: 'yr', type: MysqlType.Year, length: 4, decimal: 0 },
  { name: 'ch', type: MysqlType.String, length: 10, decimal: 0 },
  { name: 'vc', type: MysqlType.Varchar, length: 100, decimal: 0 },
  { name: 'txt', type: MysqlType.Blob, length: 65535, decimal: 0 },
  { name: 'bin', type: MysqlType.String, length: 4, decimal: 0, binary: true },
  { name: 'vb', type: MysqlType.Varchar, length: 16, decimal: 0, binary: true },
  { name: 'blb', type: MysqlType.Blob, length: 65535, decimal: 0, binary: true },
  { name: 'bt', type: MysqlType.Bit, length: 12, decimal: 0 },
  { name: 'en', type: MysqlType.Enum, elems: ['x', 'y,z', 'w'] },
  { name: 'st', type: MysqlType.Set, elems: ['a', 'b', 'c'] },
  { name: 'js', type: MysqlType.Json },
], { id: 500 });

const time = (type: 'date' | 'datetime' | 'timestamp', y: number, mo: number, d: number, h: number, mi: number, s: number, us: number, fsp: number) =>
  ({ kind: 'time', type, year: y, month: mo, day: d, hour: h, minute: mi, second: s, microsecond: us, fsp }) as const;

export const allTypesRows: readonly (readonly ColumnValue[])[] = [
  [
    1n, -128n, 255n, -32768n, -8388608n, -2147483648n, 4294967295n, -9223372036854775808n, 18446744073709551615n,
    Math.fround(3.14), 1e-7, { kind: 'decimal', text: '-12345678901234567890.0123456789', precision: 30, scale: 10 },
    time('date', 2024, 2, 29, 0, 0, 0, 0, 0), time('datetime', 1999, 12, 31, 23, 59, 59, 999999, 6), time('timestamp', 2024, 5, 1, 10, 20, 30, 123000, 3),
    { kind: 'duration', nanos: -(838n * 3600n + 59n * 60n + 59n) * 1_000_000_000n, fsp: 4 }, 2155n,
    'abc', 'héllo "world" <&>\n', 'long text \u2028', new Uint8Array([0, 1, 2, 3]), new Uint8Array([0xff, 0x00, 0x3c, 0x80]), new Uint8Array([1, 2, 250]),
    0xabcn, { kind: 'enum', index: 2, name: 'y,z' }, { kind: 'set', mask: 5n, names: ['a', 'c'] },
    { kind: 'json', value: { a: 1n, b: [true, null, 'x'] }, text: '{"a": 1, "b": [true, null, "x"]}' },
  ],
  [
    2n, 127n, 0n, 32767n, 8388607n, 2147483647n, 0n, 9223372036854775807n, 0n,
    -0.5, 123456789.125, { kind: 'decimal', text: '0.0000000000', precision: 30, scale: 10 },
    time('date', 0, 0, 0, 0, 0, 0, 0, 0), time('datetime', 1, 1, 1, 0, 0, 0, 0, 6), time('timestamp', 1970, 1, 1, 0, 0, 1, 0, 3),
    { kind: 'duration', nanos: 45_296_123_400_000n, fsp: 4 }, 0n,
    '', '😀', '', new Uint8Array([0, 0, 0, 0]), new Uint8Array([]), new Uint8Array([]),
    0n, { kind: 'enum', index: 1, name: 'x' }, { kind: 'set', mask: 0n, names: [] },
    { kind: 'json', value: [], text: '[]' },
  ],
  [3n, ...new Array<ColumnValue>(26).fill(null)],
];
