import { parseJsonLossless, stringifyJsonLossless } from '@tidb-drainer/core';
import type { Checkpoint } from '@tidb-drainer/core/sdk';

/** Key of this drainer's record on the compacted checkpoint topic (one key per upstream cluster). */
export function checkpointKey(clusterId: bigint): Buffer {
  return Buffer.from(`tidb-drainer/checkpoint/${clusterId.toString()}`, 'utf8');
}

/** JSON with the Go drainer's checkpoint field names, TSOs as exact numbers. */
export function encodeCheckpoint(c: Checkpoint): Buffer {
  return Buffer.from(
    stringifyJsonLossless({ 'commitTS': c.commitTs, 'schema-version': c.schemaVersion, consistent: c.consistent, ...(c.tsMap === undefined ? {} : { 'ts-map': c.tsMap }) }),
    'utf8',
  );
}

export function decodeCheckpoint(bytes: Uint8Array): Checkpoint {
  const o = parseJsonLossless(Buffer.from(bytes).toString('utf8'));
  if (typeof o !== 'object' || o === null) throw new TypeError('checkpoint record is not a JSON object');
  const r = o as Record<string, unknown>;
  const ts = r['commitTS'];
  const commitTs = typeof ts === 'bigint' ? ts : typeof ts === 'number' ? BigInt(ts) : undefined;
  if (commitTs === undefined) throw new TypeError('checkpoint record has no commitTS');
  const sv = r['schema-version'];
  return { commitTs, schemaVersion: typeof sv === 'number' ? sv : 0, consistent: r['consistent'] === true };
}
