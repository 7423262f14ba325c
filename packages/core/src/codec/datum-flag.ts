/**
 * Flag bytes of TiDB's datum codec (`util/codec`). Every datum starts with one of these; the payload layout
 * depends on the flag (see tidb-row-codec.md §4.1).
 */
export const DatumFlag = {
  Nil: 0x00,
  /** Memcomparable bytes (keys only; accepted for robustness). */
  Bytes: 0x01,
  /** Zig-zag varint length + raw bytes: strings and blobs in rows. */
  CompactBytes: 0x02,
  /** 8-byte big-endian int64 with the sign bit flipped (keys only). */
  Int: 0x03,
  /** 8-byte big-endian uint64 (keys, and unflattened times). */
  Uint: 0x04,
  Float: 0x05,
  Decimal: 0x06,
  /** Comparable int64 nanoseconds: TIME in a clustered-handle prefix. */
  Duration: 0x07,
  Varint: 0x08,
  Uvarint: 0x09,
  Json: 0x0a,
  /** Range sentinel; carries no payload. */
  Max: 0xfa,
} as const;
export type DatumFlag = (typeof DatumFlag)[keyof typeof DatumFlag];
