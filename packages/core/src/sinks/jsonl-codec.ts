import { parse } from 'lossless-json';
import type { ColumnValue, DdlEvent, JsonNode, RowChange, RowValues, Txn } from '../sdk/index.js';

/**
 * The `jsonl` record format: one JSON object per line, per row change or DDL, lossless:
 *
 *   {"type":"insert","commitTs":…,"startTs":…,"schema":"s","table":"t","after":{"col":<value>,…}}
 *   {"type":"update",…,"before":{…},"after":{…}}   {"type":"delete",…,"before":{…}}
 *   {"type":"ddl","commitTs":…,"schema":"s","table":"t","query":"…","schemaVersion":…,"jobId":…}
 *
 * Rows are keyed by column name in column order; absent columns are left out, SQL NULL is `null`.
 * - 64-bit integers (commit ts, BIGINT, BIT, SET masks, TIME nanos) are JSON integer literals with every digit —
 *   never quoted, never rounded. Read them with a lossless parser (`parseJsonlRecord`, `parseJsonLossless`).
 * - FLOAT/DOUBLE always carry a fraction or exponent (`2.0`, `1e+21`), so "integer literal" ⇔ bigint.
 * - Binary strings are `{"kind":"bytes","base64":"…"}` (base64, RFC 4648 with padding).
 * - DECIMAL/DATE-TIME/TIME/JSON/ENUM/SET are the model's own objects (`{"kind":"decimal","text":"-1.50",…}`).
 */
export function encodeTxnLines(txn: Txn): string {
  let out = '';
  for (const c of txn.changes) out += `${encodeChange(txn, c)}\n`;
  return out;
}

export function encodeDdlLine(ddl: DdlEvent): string {
  return `{"type":"ddl","commitTs":${ddl.commitTs},"schema":${JSON.stringify(ddl.schema)},"table":${JSON.stringify(ddl.table ?? '')},"query":${JSON.stringify(ddl.query)},"schemaVersion":${ddl.schemaVersion},"jobId":${ddl.jobId}}\n`;
}

function encodeChange(txn: Txn, c: RowChange): string {
  const head = `{"type":"${c.op}","commitTs":${txn.commitTs},"startTs":${txn.startTs},"schema":${JSON.stringify(c.schema)},"table":${JSON.stringify(c.table)}`;
  switch (c.op) {
    case 'insert':
      return `${head},"after":${row(c, c.after)}}`;
    case 'update':
      return `${head},"before":${row(c, c.before)},"after":${row(c, c.after)}}`;
    case 'delete':
      return `${head},"before":${row(c, c.before)}}`;
    default:
      throw new TypeError('unknown row change');
  }
}

function row(c: RowChange, values: RowValues): string {
  const parts: string[] = [];
  c.tableInfo.columns.forEach((col, i) => {
    const v = values[i];
    if (v !== undefined) parts.push(`${JSON.stringify(col.name)}:${value(v)}`);
  });
  return `{${parts.join(',')}}`;
}

function double(n: number): string {
  if (Object.is(n, -0)) return '-0.0';
  const s = JSON.stringify(n);
  return /^-?\d+$/.test(s) ? `${s}.0` : s;
}

function value(v: ColumnValue): string {
  if (v === null) return 'null';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return double(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (v instanceof Uint8Array) return `{"kind":"bytes","base64":"${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64')}"}`;
  switch (v.kind) {
    case 'json':
      return `{"kind":"json","value":${jsonNode(v.value)},"text":${JSON.stringify(v.text)}}`;
    case 'duration':
      return `{"kind":"duration","nanos":${v.nanos},"fsp":${v.fsp}}`;
    case 'set':
      return `{"kind":"set","mask":${v.mask},"names":${JSON.stringify(v.names)}}`;
    case 'decimal':
    case 'time':
    case 'enum':
      return JSON.stringify(v);
    default:
      throw new TypeError('unknown column value');
  }
}

function jsonNode(n: JsonNode): string {
  if (n === null || typeof n === 'boolean' || typeof n === 'string') return JSON.stringify(n);
  if (typeof n === 'bigint') return n.toString();
  if (typeof n === 'number') return double(n);
  if (Array.isArray(n)) return `[${(n as readonly JsonNode[]).map(jsonNode).join(',')}]`;
  const o = n as { readonly [k: string]: JsonNode };
  return `{${Object.keys(o).map((k) => `${JSON.stringify(k)}:${jsonNode(o[k] ?? null)}`).join(',')}}`;
}

/** A decoded jsonl record: the inverse of the encoder (values are model ColumnValues again). */
export type JsonlRecord =
  | { readonly type: 'insert'; readonly commitTs: bigint; readonly startTs: bigint; readonly schema: string; readonly table: string; readonly after: Record<string, ColumnValue> }
  | { readonly type: 'update'; readonly commitTs: bigint; readonly startTs: bigint; readonly schema: string; readonly table: string; readonly before: Record<string, ColumnValue>; readonly after: Record<string, ColumnValue> }
  | { readonly type: 'delete'; readonly commitTs: bigint; readonly startTs: bigint; readonly schema: string; readonly table: string; readonly before: Record<string, ColumnValue> }
  | { readonly type: 'ddl'; readonly commitTs: bigint; readonly schema: string; readonly table: string; readonly query: string; readonly schemaVersion: number; readonly jobId: number };

const INT = /^-?\d+$/;

/** Parses one jsonl line losslessly back into model values. */
export function parseJsonlRecord(line: string): JsonlRecord {
  const raw = parse(line, null, (text: string) => (INT.test(text) ? BigInt(text) : Number(text))) as Record<string, unknown>;
  const rows = (k: string): Record<string, ColumnValue> => {
    const out: Record<string, ColumnValue> = {};
    for (const [name, v] of Object.entries(raw[k] as Record<string, unknown>)) out[name] = decodeValue(v);
    return out;
  };
  if (raw['type'] === 'ddl') {
    return { ...(raw as { type: 'ddl'; commitTs: bigint; schema: string; table: string; query: string }), schemaVersion: Number(raw['schemaVersion']), jobId: Number(raw['jobId']) };
  }
  const base = { commitTs: raw['commitTs'] as bigint, startTs: raw['startTs'] as bigint, schema: String(raw['schema']), table: String(raw['table']) };
  switch (raw['type']) {
    case 'insert':
      return { type: 'insert', ...base, after: rows('after') };
    case 'update':
      return { type: 'update', ...base, before: rows('before'), after: rows('after') };
    case 'delete':
      return { type: 'delete', ...base, before: rows('before') };
    default:
      throw new TypeError(`unknown jsonl record type ${String(raw['type'])}`);
  }
}

function decodeValue(v: unknown): ColumnValue {
  if (v === null || typeof v === 'bigint' || typeof v === 'number' || typeof v === 'string') return v;
  const o = v as Record<string, unknown>;
  const n = (k: string): number => Number(o[k]);
  switch (o['kind']) {
    case 'bytes':
      return new Uint8Array(Buffer.from(String(o['base64']), 'base64'));
    case 'decimal':
      return { kind: 'decimal', text: String(o['text']), precision: n('precision'), scale: n('scale') };
    case 'time':
      return {
        kind: 'time', type: o['type'] as 'date' | 'datetime' | 'timestamp', year: n('year'), month: n('month'), day: n('day'),
        hour: n('hour'), minute: n('minute'), second: n('second'), microsecond: n('microsecond'), fsp: n('fsp'),
      };
    case 'duration':
      return { kind: 'duration', nanos: o['nanos'] as bigint, fsp: n('fsp') };
    case 'json':
      return { kind: 'json', value: o['value'] as JsonNode, text: String(o['text']) };
    case 'enum':
      return { kind: 'enum', index: n('index'), name: String(o['name']) };
    case 'set':
      return { kind: 'set', mask: o['mask'] as bigint, names: o['names'] as string[] };
    default:
      throw new TypeError(`unknown jsonl value kind ${String(o['kind'])}`);
  }
}
