import { MysqlType } from '@tidb-drainer/core/sdk';
import { timeValue } from '@tidb-drainer/testkit';
import { describe, expect, it } from 'vitest';
import { makeColumn } from '../test-support/make-table.js';
import { defaultOrZero } from './default-or-zero.js';

// Pins the places where this sink's absent-column value differs from core's defaultOrZeroValue.
describe('defaultOrZero', () => {
  it('keeps an explicit NULL origin default even on a NOT NULL column', () => {
    const col = { ...makeColumn({ name: 'a', type: MysqlType.Long, notNull: true }, 0), originDefault: null };
    expect(defaultOrZero(col)).toBeNull();
  });

  it('gives NULL for a nullable column without a default, the default when there is one', () => {
    expect(defaultOrZero(makeColumn({ name: 'a', type: MysqlType.Long }, 0))).toBeNull();
    expect(defaultOrZero(makeColumn({ name: 'a', type: MysqlType.Long, notNull: true, defaultValue: 7n }, 0))).toBe(7n);
  });

  it('prints a DECIMAL zero without fraction digits whatever the scale', () => {
    const col = makeColumn({ name: 'd', type: MysqlType.NewDecimal, length: 10, decimal: 3, notNull: true }, 0);
    expect(defaultOrZero(col)).toEqual({ kind: 'decimal', text: '0', precision: 10, scale: 0 });
  });

  it('treats a column whose collation alone is binary as bytes', () => {
    const base = makeColumn({ name: 'b', type: MysqlType.String, length: 3, notNull: true }, 0);
    expect(defaultOrZero({ ...base, charset: 'utf8mb4', collation: 'binary' })).toEqual(new Uint8Array(3));
    expect(defaultOrZero(base)).toBe('');
  });

  it('zero times and durations carry the column fsp; ENUM takes its first member', () => {
    const dt = makeColumn({ name: 't', type: MysqlType.Datetime, decimal: 3, notNull: true }, 0);
    expect(defaultOrZero(dt)).toEqual(timeValue('datetime', 0, 0, 0, 0, 0, 0, 0, 3));
    const dur = makeColumn({ name: 'u', type: MysqlType.Duration, decimal: -1, notNull: true }, 0);
    expect(defaultOrZero(dur)).toEqual({ kind: 'duration', nanos: 0n, fsp: 0 });
    const en = makeColumn({ name: 'e', type: MysqlType.Enum, elems: ['x', 'y'], notNull: true }, 0);
    expect(defaultOrZero(en)).toEqual({ kind: 'enum', index: 1, name: 'x' });
  });
});
