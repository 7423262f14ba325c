import { compareUtf8, encodeUtf8, isJsonArray, JsonType } from '@tidb-drainer/core/codec';
import type { JsonNode } from '@tidb-drainer/core/codec';
import { ByteWriter } from './byte-writer.js';

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;

/**
 * TiDB binary JSON (spec §7) of a model JSON tree: type code byte, then the value. bigint → int64 (or uint64 when
 * above int64), number → double, objects with keys in UTF-8 byte order, literals inlined, everything else out of
 * line in entry order. This is the payload of a 0x0a datum.
 */
export function encodeJsonBinary(node: JsonNode): Uint8Array {
  const w = new ByteWriter();
  const { type, bytes } = encodeValue(node);
  w.byte(type).bytes(bytes);
  return w.finish();
}

interface Encoded {
  readonly type: number;
  readonly bytes: Uint8Array;
}

function encodeValue(node: JsonNode): Encoded {
  if (node === null) return { type: JsonType.Literal, bytes: Uint8Array.of(0) };
  if (typeof node === 'boolean') return { type: JsonType.Literal, bytes: Uint8Array.of(node ? 1 : 2) };
  if (typeof node === 'bigint') {
    {
      if (node < INT64_MIN || node > UINT64_MAX) throw new RangeError(`JSON integer ${node} out of 64-bit range`);
      const w = new ByteWriter(8);
      const u = BigInt.asUintN(64, node);
      w.u32LE(Number(u & 0xffffffffn)).u32LE(Number(u >> 32n));
      return { type: node > INT64_MAX ? JsonType.Uint64 : JsonType.Int64, bytes: w.finish() };
    }
  }
  if (typeof node === 'number') {
    {
      const dv = new DataView(new ArrayBuffer(8));
      dv.setFloat64(0, node, true);
      return { type: JsonType.Double, bytes: new Uint8Array(dv.buffer) };
    }
  }
  if (typeof node === 'string') {
    {
      const utf8 = encodeUtf8(node);
      return {
        type: JsonType.String,
        bytes: new ByteWriter(utf8.length + 5).uvarint(utf8.length).bytes(utf8).finish(),
      };
    }
  }
  if (isJsonArray(node)) return container(null, node);
  const keys = Object.keys(node).sort(compareUtf8);
  return container(
    keys,
    keys.map((k) => node[k]!),
  );
}

/** Object (keys given) or array: count, size, [key entries], value entries, [keys], values (§7.3). */
function container(keys: readonly string[] | null, values: readonly JsonNode[]): Encoded {
  const count = values.length;
  const keyBytes = keys?.map(encodeUtf8) ?? [];
  const encoded = values.map(encodeValue);
  const headerSize = 8 + (keys ? count * 6 : 0) + count * 5;
  let dataOffset = headerSize + keyBytes.reduce((n, k) => n + k.length, 0);
  const w = new ByteWriter(dataOffset + 16);
  w.u32LE(count).u32LE(0);
  let keyOffset = headerSize;
  for (const k of keyBytes) {
    if (k.length > 0xffff) throw new RangeError('JSON key longer than 65535 bytes');
    w.u32LE(keyOffset).u16LE(k.length);
    keyOffset += k.length;
  }
  for (const e of encoded) {
    if (e.type === JsonType.Literal) {
      w.byte(JsonType.Literal).byte(e.bytes[0]!).byte(0).byte(0).byte(0);
    } else {
      w.byte(e.type).u32LE(dataOffset);
      dataOffset += e.bytes.length;
    }
  }
  for (const k of keyBytes) w.bytes(k);
  for (const e of encoded) if (e.type !== JsonType.Literal) w.bytes(e.bytes);
  w.patchU32LE(4, w.length);
  return { type: keys ? JsonType.Object : JsonType.Array, bytes: w.finish() };
}
