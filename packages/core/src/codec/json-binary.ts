import type { JsonNode, JsonValue } from '../model/values.js';
import type { DatumCursor } from './datum-cursor.js';
import { formatJsonDouble, quoteJsonString } from './json-text.js';
import { decodeUtf8, isValidUtf8 } from './utf8.js';

/** TiDB binary JSON type codes (spec §7.1). */
export const JsonType = {
  Object: 0x01,
  Array: 0x03,
  Literal: 0x04,
  Int64: 0x09,
  Uint64: 0x0a,
  Double: 0x0b,
  String: 0x0c,
  Opaque: 0x0d,
  Date: 0x0e,
  Datetime: 0x0f,
  Timestamp: 0x10,
  Duration: 0x11,
} as const;

/** TiDB refuses documents nested deeper than this; a deeper one can only be corrupt input. */
const MAX_DEPTH = 100;

// Decoder state for one document. Decoding is synchronous and never re-entered, so module state is safe and
// saves passing (and allocating) a context per node.
let buf: Uint8Array = new Uint8Array(0);
let text = '';
/** Nodes left to visit: TiDB never shares nodes, so a document has fewer nodes than bytes; corrupt offsets that
 * point back into a parent would otherwise make the walk exponential. */
let budget = 0;
let failAt: DatumCursor | undefined;
/** End offset of the last scalar read. */
let scalarEnd = 0;
const F64 = new DataView(new ArrayBuffer(8));

/**
 * Reads a JSON datum payload (flag 0x0a consumed): type code + binary value. Returns the parsed tree and TiDB's
 * text form; the cursor moves past the value (its length is self-described, §7.5).
 */
export function readJson(cur: DatumCursor): JsonValue {
  const type = cur.byte();
  const start = cur.pos;
  buf = cur.buf;
  text = '';
  budget = cur.end - start + 1;
  failAt = cur;
  try {
    let end: number;
    let value: JsonNode;
    if (type === JsonType.Object || type === JsonType.Array) {
      cur.need(8);
      end = start + u32(start + 4);
      if (end > cur.end || end < start + 8) cur.fail('JSON container size out of range', start + 4);
      value = node(type, start, end, 0);
    } else {
      value = node(type, start, cur.end, 0);
      end = scalarEnd;
    }
    cur.pos = end;
    return { kind: 'json', value, text };
  } finally {
    // Do not keep the row's bytes (or a half-built text) alive between calls.
    text = '';
    buf = EMPTY;
    failAt = undefined;
  }
}

const EMPTY = new Uint8Array(0);

function fail(message: string, offset: number): never {
  return failAt!.fail(message, offset);
}

function u32(p: number): number {
  return (buf[p]! | (buf[p + 1]! << 8) | (buf[p + 2]! << 16) | (buf[p + 3]! << 24)) >>> 0;
}

function need(p: number, n: number, limit: number): void {
  if (p + n > limit) fail('truncated JSON value', p);
}

/** Decodes the value of `type` at `p` (bounded by `limit`), appending its text; scalars set `scalarEnd`. */
function node(type: number, p: number, limit: number, depth: number): JsonNode {
  if (--budget < 0) fail('JSON value has more nodes than bytes (corrupt offsets)', p);
  switch (type) {
    case JsonType.Object:
    case JsonType.Array:
      if (depth >= MAX_DEPTH) fail('JSON nested too deeply', p);
      return container(type, p, limit, depth + 1);
    case JsonType.Literal: {
      need(p, 1, limit);
      scalarEnd = p + 1;
      return literal(buf[p]!, p);
    }
    case JsonType.Int64:
    case JsonType.Uint64: {
      need(p, 8, limit);
      scalarEnd = p + 8;
      const raw = (BigInt(u32(p + 4)) << 32n) | BigInt(u32(p));
      const v = type === JsonType.Int64 ? BigInt.asIntN(64, raw) : raw;
      text += v.toString();
      return v;
    }
    case JsonType.Double: {
      need(p, 8, limit);
      scalarEnd = p + 8;
      for (let i = 0; i < 8; i++) F64.setUint8(7 - i, buf[p + i]!);
      const v = F64.getFloat64(0);
      text += formatJsonDouble(v);
      return v;
    }
    case JsonType.String: {
      const [start, end] = lengthPrefixed(p, limit);
      scalarEnd = end;
      const s = decodeUtf8(buf, start, end);
      // TiDB prints invalid UTF-8 as the escape `\ufffd` (a valid U+FFFD stays a literal character).
      const quoted = quoteJsonString(s);
      text += s.includes('\ufffd') && !isValidUtf8(buf, start, end) ? quoted.replaceAll('\ufffd', '\\ufffd') : quoted;
      return s;
    }
    case JsonType.Opaque: {
      need(p, 1, limit);
      const mysqlType = buf[p]!;
      const [start, end] = lengthPrefixed(p + 1, limit);
      scalarEnd = end;
      const s = `base64:type${mysqlType}:${Buffer.from(buf.subarray(start, end)).toString('base64')}`;
      text += quoteJsonString(s);
      return s;
    }
    case JsonType.Date:
    case JsonType.Datetime:
    case JsonType.Timestamp: {
      need(p, 8, limit);
      scalarEnd = p + 8;
      const s = coreTimeText(u32(p + 4), u32(p), type === JsonType.Date);
      text += quoteJsonString(s);
      return s;
    }
    case JsonType.Duration: {
      need(p, 12, limit);
      scalarEnd = p + 12;
      const ns = BigInt.asIntN(64, (BigInt(u32(p + 4)) << 32n) | BigInt(u32(p)));
      const s = durationText(ns, Math.min(u32(p + 8), 6));
      text += quoteJsonString(s);
      return s;
    }
    default:
      return fail(`unknown JSON type code 0x${type.toString(16)}`, p - 1);
  }
}

function literal(b: number, p: number): JsonNode {
  switch (b) {
    case 0:
      text += 'null';
      return null;
    case 1:
      text += 'true';
      return true;
    case 2:
      text += 'false';
      return false;
    default:
      return fail(`invalid JSON literal 0x${b.toString(16)}`, p);
  }
}

/** uvarint length + bytes at `p`; returns [dataStart, dataEnd]. */
function lengthPrefixed(p: number, limit: number): [number, number] {
  let n = 0;
  let mul = 1;
  for (let i = 0; ; i++) {
    if (p >= limit || i >= 5) fail('bad JSON string length', p);
    const b = buf[p++]!;
    n += (b & 0x7f) * mul;
    mul *= 128;
    if (b < 0x80) break;
  }
  if (p + n > limit) fail('truncated JSON string', p);
  return [p, p + n];
}

function container(type: number, p: number, limit: number, depth: number): JsonNode {
  need(p, 8, limit);
  const count = u32(p);
  const size = u32(p + 4);
  const end = p + size;
  const isObject = type === JsonType.Object;
  const entriesAt = p + 8 + (isObject ? count * 6 : 0);
  const headerEnd = entriesAt + count * 5;
  if (end > limit || headerEnd > end) fail('JSON container header out of range', p);
  if (isObject) {
    const obj: Record<string, JsonNode> = {};
    text += '{';
    for (let i = 0; i < count; i++) {
      const kp = p + 8 + i * 6;
      const kOff = p + u32(kp);
      const kLen = buf[kp + 4]! | (buf[kp + 5]! << 8);
      if (kOff < headerEnd || kOff + kLen > end) fail('JSON key out of range', kp);
      const key = decodeUtf8(buf, kOff, kOff + kLen);
      text += (i === 0 ? '' : ', ') + quoteJsonString(key) + ': ';
      const v = entry(entriesAt + i * 5, p, headerEnd, end, depth);
      if (key === '__proto__')
        Object.defineProperty(obj, key, { value: v, enumerable: true, writable: true, configurable: true });
      else obj[key] = v;
    }
    text += '}';
    return obj;
  }
  const arr: JsonNode[] = new Array<JsonNode>(count);
  text += '[';
  for (let i = 0; i < count; i++) {
    if (i !== 0) text += ', ';
    arr[i] = entry(p + 8 + i * 5, p, headerEnd, end, depth);
  }
  text += ']';
  return arr;
}

/** A value entry: inlined literal, or type + offset (relative to the container start) of an out-of-line value. */
function entry(ep: number, base: number, headerEnd: number, end: number, depth: number): JsonNode {
  const type = buf[ep]!;
  if (type === JsonType.Literal) {
    if (--budget < 0) fail('JSON value has more nodes than bytes (corrupt offsets)', ep);
    return literal(buf[ep + 1]!, ep + 1);
  }
  const at = base + u32(ep + 1);
  if (at < headerEnd || at >= end) fail('JSON value offset out of range', ep + 1);
  if (type === JsonType.Object || type === JsonType.Array) {
    need(at, 8, end);
    const childEnd = at + u32(at + 4);
    if (childEnd > end || childEnd < at + 8) fail('JSON container size out of range', at + 4);
    return node(type, at, childEnd, depth);
  }
  return node(type, at, end, depth);
}

/** In-memory CoreTime (spec §6.2) printed like TiDB's Time.String with fsp 6 (date: no time part). */
function coreTimeText(hi: number, lo: number, dateOnly: boolean): string {
  const year = hi >>> 18;
  const month = (hi >>> 14) & 15;
  const day = (hi >>> 9) & 31;
  const date = `${p2(year, 4)}-${p2(month, 2)}-${p2(day, 2)}`;
  if (dateOnly) return date;
  const hour = (hi >>> 4) & 31;
  const minute = ((hi & 15) << 2) | (lo >>> 30);
  const second = (lo >>> 24) & 63;
  const micro = (lo >>> 4) & 0xfffff;
  return `${date} ${p2(hour, 2)}:${p2(minute, 2)}:${p2(second, 2)}.${p2(micro, 6)}`;
}

function durationText(ns: bigint, fsp: number): string {
  const neg = ns < 0n;
  const abs = neg ? -ns : ns;
  const micro = Number((abs / 1000n) % 1000000n);
  const totalSec = abs / 1000000000n;
  const h = totalSec / 3600n;
  const m = Number((totalSec / 60n) % 60n);
  const s = Number(totalSec % 60n);
  const frac = fsp > 0 ? '.' + p2(micro, 6).slice(0, fsp) : '';
  return `${neg ? '-' : ''}${h < 10n ? '0' : ''}${h}:${p2(m, 2)}:${p2(s, 2)}${frac}`;
}

function p2(v: number, width: number): string {
  const s = String(v);
  return s.length >= width ? s : '0'.repeat(width - s.length) + s;
}
