import { parseJsonLossless } from '@tidb-drainer/core';

/** A canal-json message read back (used by tests and by consumers written in TS). */
export interface CanalJsonMessage {
  readonly database: string;
  readonly table: string;
  readonly pkNames: readonly string[] | null;
  readonly isDdl: boolean;
  readonly type: string;
  readonly es: number;
  readonly ts: number;
  readonly sql: string;
  readonly sqlType: Readonly<Record<string, number>> | null;
  readonly mysqlType: Readonly<Record<string, string>> | null;
  readonly data: Readonly<Record<string, string | null>> | null;
  readonly old: Readonly<Record<string, string | null>> | null;
  /** `_tidb.commitTs` (or `watermarkTs` for watermarks); undefined without the extension. */
  readonly commitTs: bigint | undefined;
  readonly claimCheckLocation: string | undefined;
  /** Bytes of a binary column in `data` (each code point 0–255 is one byte, as TiCDC's decoder reads it). */
  dataBytes(column: string): Buffer | null;
}

type Json = Record<string, unknown>;

const str = (x: unknown): string => (typeof x === 'string' ? x : '');

function asRecord(v: unknown): Json | null {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : null;
}

function firstRow(v: unknown): Record<string, string | null> | null {
  if (!Array.isArray(v)) return null;
  return asRecord(v[0]) as Record<string, string | null> | null;
}

function toBig(v: unknown): bigint | undefined {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return BigInt(v);
  return undefined;
}

/** Parses a canal-json value (lossless for 64-bit numbers). Throws on malformed JSON. */
export function decodeCanalJson(bytes: Uint8Array): CanalJsonMessage {
  const o = asRecord(parseJsonLossless(Buffer.from(bytes).toString('utf8')));
  if (o === null) throw new TypeError('canal-json value is not a JSON object');
  const tidb = asRecord(o['_tidb']);
  const data = firstRow(o['data']);
  return {
    database: str(o['database']),
    table: str(o['table']),
    pkNames: Array.isArray(o['pkNames']) ? (o['pkNames'] as string[]) : null,
    isDdl: o['isDdl'] === true,
    type: str(o['type']),
    es: Number(o['es']),
    ts: Number(o['ts']),
    sql: str(o['sql']),
    sqlType: asRecord(o['sqlType']) as Record<string, number> | null,
    mysqlType: asRecord(o['mysqlType']) as Record<string, string> | null,
    data,
    old: firstRow(o['old']),
    commitTs: toBig(tidb?.['commitTs'] ?? tidb?.['watermarkTs']),
    claimCheckLocation: typeof tidb?.['claimCheckLocation'] === 'string' ? tidb['claimCheckLocation'] : undefined,
    dataBytes(column: string): Buffer | null {
      const v = data?.[column];
      return v === null || v === undefined ? null : Buffer.from(v, 'latin1');
    },
  };
}
