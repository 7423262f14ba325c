import { isSafeNumber, parse, stringify } from 'lossless-json';

/**
 * JSON that may hold TSOs or other int64 values (etcd node status, TiDB DDL jobs, checkpoints). `JSON.parse` rounds
 * 434271871498256385 to 434271871498256400, so integers outside the safe range become `bigint`; everything else
 * parses as usual.
 */
export function parseJsonLossless(text: string): unknown {
  return parse(text, null, (value: string) => {
    if (isSafeNumber(value)) return Number(value);
    if (/^-?\d+$/.test(value)) return BigInt(value);
    return Number(value);
  });
}

/** Serialises with `bigint` written as plain JSON numbers (no quotes, no rounding). */
export function stringifyJsonLossless(value: unknown, space?: number): string {
  const text = stringify(value, undefined, space);
  if (text === undefined) throw new TypeError('value is not serialisable to JSON');
  return text;
}
