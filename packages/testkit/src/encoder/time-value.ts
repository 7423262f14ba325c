import type { TimeValue } from '@tidb-drainer/core/codec';

/** A DATE / DATETIME / TIMESTAMP model value, field by field (test fixtures). */
export function timeValue(type: TimeValue['type'], y: number, mo: number, d: number, h = 0, mi = 0, s = 0, us = 0, fsp = 0): TimeValue {
  return { kind: 'time', type, year: y, month: mo, day: d, hour: h, minute: mi, second: s, microsecond: us, fsp };
}
