import { describe, expect, it } from 'vitest';
import { MysqlType } from '../model/mysql-type.js';
import type { ColumnInfo } from '../model/table-info.js';
import type { TimeValue } from '../model/values.js';
import { parseColumnDefault } from './default-parse.js';
import { parseJsonText } from './json-parse.js';
import { formatDuration, formatFloat32, formatMysqlText, formatTime } from './render.js';
import { timestampFromZone, timestampToZone } from './timestamp-zone.js';

const time = (
  type: TimeValue['type'],
  y: number,
  mo: number,
  d: number,
  h = 0,
  mi = 0,
  s = 0,
  us = 0,
  fsp = 0,
): TimeValue => ({
  kind: 'time',
  type,
  year: y,
  month: mo,
  day: d,
  hour: h,
  minute: mi,
  second: s,
  microsecond: us,
  fsp,
});

function col(type: number, extra: Partial<ColumnInfo> = {}): ColumnInfo {
  return {
    id: 1,
    name: 'c',
    offset: 0,
    type,
    flag: 0,
    length: -1,
    decimal: -1,
    charset: 'utf8mb4',
    collation: 'utf8mb4_bin',
    elems: [],
    unsigned: false,
    nullable: true,
    generated: false,
    generatedStored: false,
    hidden: false,
    typeText: '',
    ...extra,
  };
}

describe('MySQL text rendering', () => {
  it('prints times like TiDB Time.String (fsp digits of the 6-digit microseconds, truncated)', () => {
    expect(formatTime(time('datetime', 2023, 5, 17, 12, 34, 56, 789000, 3))).toBe('2023-05-17 12:34:56.789');
    expect(formatTime(time('datetime', 2023, 5, 17, 12, 34, 56, 789999, 2))).toBe('2023-05-17 12:34:56.78');
    expect(formatTime(time('date', 2023, 5, 17))).toBe('2023-05-17');
    expect(formatTime(time('datetime', 0, 0, 0))).toBe('0000-00-00 00:00:00');
    expect(formatTime(time('timestamp', 1, 1, 1, 0, 0, 0, 5, 6))).toBe('0001-01-01 00:00:00.000005');
  });

  it('prints durations like TiDB Duration.String', () => {
    expect(formatDuration({ kind: 'duration', nanos: -45296500000000n, fsp: 1 })).toBe('-12:34:56.5');
    expect(formatDuration({ kind: 'duration', nanos: 3020399000000000n, fsp: 0 })).toBe('838:59:59');
    expect(formatDuration({ kind: 'duration', nanos: 1_000n, fsp: 6 })).toBe('00:00:00.000001');
    expect(formatDuration({ kind: 'duration', nanos: 0n, fsp: 2 })).toBe('00:00:00.00');
  });

  it('renders every value kind', () => {
    expect(formatMysqlText(null)).toBeNull();
    expect(formatMysqlText(18446744073709551615n)).toBe('18446744073709551615');
    expect(formatMysqlText(Math.fround(0.1), { float32: true })).toBe('0.1');
    expect(formatMysqlText(1e21)).toBe('1e21');
    expect(formatMysqlText({ kind: 'decimal', text: '-0.50', precision: 5, scale: 2 })).toBe('-0.50');
    expect(formatMysqlText({ kind: 'enum', index: 2, name: 'female' })).toBe('female');
    expect(formatMysqlText({ kind: 'set', mask: 5n, names: ['a', 'c'] })).toBe('a,c');
    expect(formatMysqlText(parseJsonText('{"b":[1,2.5,"\\u0001"],"a":null}'))).toBe(
      '{"a": null, "b": [1, 2.5, "\\u0001"]}',
    );
    const bytes = Uint8Array.of(1, 2);
    expect(formatMysqlText(bytes)).toBe(bytes);
    expect(formatFloat32(Math.fround(3.4028234663852886e38))).toBe('3.4028235e38');
  });
});

describe('TIMESTAMP zones', () => {
  it('converts UTC to an IANA zone and back', () => {
    const utc = time('timestamp', 2023, 5, 17, 4, 34, 56, 123, 6);
    const sh = timestampToZone(utc, 'Asia/Shanghai');
    expect(sh).toEqual({ ...utc, hour: 12 });
    expect(timestampFromZone(sh, 'Asia/Shanghai')).toEqual(utc);
    expect(timestampToZone(utc, '-05:30')).toEqual({ ...utc, day: 16, hour: 23, minute: 4 });
  });

  it('follows DST and leaves the zero timestamp alone', () => {
    expect(timestampToZone(time('timestamp', 2023, 7, 1, 12), 'America/New_York').hour).toBe(8);
    expect(timestampToZone(time('timestamp', 2023, 1, 1, 12), 'America/New_York').hour).toBe(7);
    const zero = time('timestamp', 0, 0, 0);
    expect(timestampToZone(zero, 'Asia/Shanghai')).toBe(zero);
    // 01:30 on 2023-11-05 happens twice in New York: the earlier instant (EDT, 05:30 UTC) is chosen.
    expect(timestampFromZone(time('timestamp', 2023, 11, 5, 1, 30), 'America/New_York').hour).toBe(5);
  });
});

describe('column default parsing', () => {
  it('turns TiDB default text into model values per column type', () => {
    expect(parseColumnDefault(col(MysqlType.Long), '-5')).toBe(-5n);
    expect(parseColumnDefault(col(MysqlType.LongLong, { unsigned: true }), '18446744073709551615')).toBe(
      18446744073709551615n,
    );
    expect(parseColumnDefault(col(MysqlType.Bit, { length: 10 }), Uint8Array.of(2, 1))).toBe(513n);
    expect(parseColumnDefault(col(MysqlType.Float), '0.1')).toBe(Math.fround(0.1));
    expect(parseColumnDefault(col(MysqlType.NewDecimal, { length: 10, decimal: 2 }), '1.5')).toEqual({
      kind: 'decimal',
      text: '1.50',
      precision: 10,
      scale: 2,
    });
    expect(parseColumnDefault(col(MysqlType.NewDecimal, { length: 5, decimal: 1 }), '-0.04')).toEqual({
      kind: 'decimal',
      text: '0.0',
      precision: 5,
      scale: 1,
    });
    expect(parseColumnDefault(col(MysqlType.NewDecimal, { length: 5, decimal: 1 }), '9.95')).toEqual({
      kind: 'decimal',
      text: '10.0',
      precision: 5,
      scale: 1,
    });
    expect(parseColumnDefault(col(MysqlType.Varchar), 'x')).toBe('x');
    expect(
      parseColumnDefault(col(MysqlType.String, { length: 4, charset: 'binary', collation: 'binary' }), 'ab'),
    ).toEqual(Uint8Array.of(0x61, 0x62, 0, 0));
    expect(parseColumnDefault(col(MysqlType.Timestamp, { decimal: 3 }), '2023-05-17 04:34:56.5')).toEqual(
      time('timestamp', 2023, 5, 17, 4, 34, 56, 500000, 3),
    );
    expect(parseColumnDefault(col(MysqlType.Date), '0000-00-00')).toEqual(time('date', 0, 0, 0));
    expect(parseColumnDefault(col(MysqlType.Duration, { decimal: 1 }), '-12:34:56.5')).toEqual({
      kind: 'duration',
      nanos: -45296500000000n,
      fsp: 1,
    });
    expect(parseColumnDefault(col(MysqlType.Enum, { elems: ['a', 'b'] }), 'B')).toEqual({
      kind: 'enum',
      index: 2,
      name: 'b',
    });
    expect(parseColumnDefault(col(MysqlType.Set, { elems: ['a', 'b', 'c'] }), 'c,a')).toEqual({
      kind: 'set',
      mask: 5n,
      names: ['a', 'c'],
    });
    expect(parseColumnDefault(col(MysqlType.Json), '{"n": 9223372036854775808}')).toEqual({
      kind: 'json',
      value: { n: 9223372036854775808n },
      text: '{"n": 9223372036854775808}',
    });
  });

  it('rejects text that does not fit the type', () => {
    expect(() => parseColumnDefault(col(MysqlType.Long), 'abc')).toThrow(/default "abc"/);
    expect(() => parseColumnDefault(col(MysqlType.Enum, { elems: ['a'] }), 'z')).toThrow(/ENUM/);
    expect(() => parseColumnDefault(col(MysqlType.Datetime), '2023/01/01')).toThrow(/time/);
  });
});
