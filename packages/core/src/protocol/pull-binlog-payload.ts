import { DecodeError } from '../errors/drainer-error.js';
import { WireType } from './varint64.js';

/*
 * The one PullBinlogs message read per binlog on the drainer's hot path, scanned in place: no Reader, no envelope
 * objects, only the payload view is allocated.
 */

const EMPTY = new Uint8Array(0);

/** Position after the varint last read by `varintAt` (module scratch: no result object on the hot path). */
let varintNext = 0;

/** Reads a varint (up to 35 bits, enough for tags and lengths) at `pos` without a Reader object. */
function varintAt(b: Uint8Array, pos: number, end: number): number {
  let value = 0;
  for (let shift = 0, p = pos; p < end && shift < 35; shift += 7) {
    const byte = b[p++]!;
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) {
      varintNext = p;
      return value;
    }
  }
  throw new DecodeError('protobuf varint truncated or too long', { offset: pos });
}

function skipAt(b: Uint8Array, pos: number, wt: number, end: number): number {
  switch (wt) {
    case WireType.Varint: {
      let p = pos;
      while (p < end && b[p]! >= 0x80) p++;
      if (p >= end) throw new DecodeError('protobuf varint truncated', { offset: pos });
      return p + 1;
    }
    case WireType.Fixed64:
      return pos + 8;
    case WireType.LengthDelimited: {
      const len = varintAt(b, pos, end);
      return varintNext + len;
    }
    case WireType.Fixed32:
      return pos + 4;
    default:
      throw new DecodeError(`protobuf wire type ${wt} not supported`, { offset: pos });
  }
}

/**
 * `PullBinlogResp.entity.payload` as a view, without materialising the envelope (the pump stream decodes the
 * payload right after, and needs the meta only to name a failure — `decodePullBinlogResp` gives it then).
 * Returns an empty view when the entity or payload is absent. Throws `DecodeError` on malformed input.
 */
export function pullBinlogRespPayload(bytes: Uint8Array): Uint8Array {
  const end = bytes.length;
  let payload: Uint8Array = EMPTY;
  let pos = 0;
  while (pos < end) {
    const tag = varintAt(bytes, pos, end);
    pos = varintNext;
    if (tag >>> 3 !== 1 || (tag & 7) !== WireType.LengthDelimited) {
      pos = skipAt(bytes, pos, tag & 7, end);
      continue;
    }
    const len = varintAt(bytes, pos, end);
    const entityEnd = varintNext + len;
    if (entityEnd > end) throw new DecodeError('PullBinlogResp.entity truncated', { offset: pos });
    let p = varintNext;
    while (p < entityEnd) {
      const t = varintAt(bytes, p, entityEnd);
      p = varintNext;
      if (t >>> 3 === 2 && (t & 7) === WireType.LengthDelimited) {
        const l = varintAt(bytes, p, entityEnd);
        p = varintNext + l;
        if (p > entityEnd) throw new DecodeError('Entity.payload truncated', { offset: varintNext });
        // proto3: a repeated occurrence of a scalar field replaces the earlier one (pumps send one).
        payload = bytes.subarray(varintNext, p);
      } else {
        p = skipAt(bytes, p, t & 7, entityEnd);
      }
    }
    if (p > entityEnd) throw new DecodeError('Entity truncated', { offset: p });
    pos = entityEnd;
  }
  if (pos > end) throw new DecodeError('PullBinlogResp truncated', { offset: pos });
  return payload;
}
