import type { CommitTs } from '../model/commit-ts.js';
import type { Checkpoint } from '../sdk/sink.js';
import { parseJsonLossless } from '../util/lossless-json.js';

/**
 * The Go drainer's `checkPoint` column (drainer/checkpoint/mysql.go, `MysqlCheckPoint` marshalled with
 * encoding/json): `{"consistent":<bool>,"commitTS":<int64>,"ts-map":{…},"schema-version":<int64>}` in that key
 * order, `ts-map` keys sorted (Go sorts map keys). Integers are written as exact JSON numbers, so TSOs beyond 2^53
 * survive; read them back only with `decodeCheckpointJson`.
 */
export function encodeCheckpointJson(cp: Checkpoint): string {
  const tsMap = Object.entries(cp.tsMap ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${JSON.stringify(k)}:${v.toString()}`)
    .join(',');
  return `{"consistent":${String(cp.consistent)},"commitTS":${cp.commitTs.toString()},"ts-map":{${tsMap}},"schema-version":${String(cp.schemaVersion)}}`;
}

/** Parses the `checkPoint` JSON losslessly. Throws a TypeError naming the field when the shape is wrong. */
export function decodeCheckpointJson(text: string): Checkpoint {
  const doc = parseJsonLossless(text);
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new TypeError('checkPoint is not a JSON object');
  const o = doc as Record<string, unknown>;
  const consistent = o['consistent'] ?? false;
  if (typeof consistent !== 'boolean') throw new TypeError('checkPoint.consistent is not a boolean');
  const commitTs = toInt(o['commitTS'] ?? 0, 'commitTS');
  const version = toInt(o['schema-version'] ?? 0, 'schema-version');
  const tsMap: Record<string, CommitTs> = {};
  const rawMap = o['ts-map'];
  // Go writes `null` for a nil map; older drainers did so before the first applied-ts was known.
  if (rawMap !== null && rawMap !== undefined) {
    if (typeof rawMap !== 'object' || Array.isArray(rawMap)) throw new TypeError('checkPoint.ts-map is not an object');
    for (const [k, v] of Object.entries(rawMap as Record<string, unknown>)) tsMap[k] = toInt(v, `ts-map.${k}`);
  }
  return { commitTs, schemaVersion: Number(version), consistent, tsMap };
}

function toInt(v: unknown, field: string): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
  throw new TypeError(`checkPoint.${field} is not an integer`);
}
