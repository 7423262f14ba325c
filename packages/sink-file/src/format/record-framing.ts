/**
 * The binlogfile record framing (spec §8.5): magic (u32 LE) · payload length (u64 LE) · payload · CRC-32C (u32 LE).
 * No padding, no file header.
 */
export const RECORD_MAGIC = 0x1c1b0504;
/** Magic + length. */
export const RECORD_HEADER_SIZE = 12;
export const RECORD_TRAILER_SIZE = 4;
/** Header + trailer: a record is this many bytes longer than its payload. */
export const RECORD_OVERHEAD = RECORD_HEADER_SIZE + RECORD_TRAILER_SIZE;
/** The magic as it appears on disk, for resync scans. */
export const MAGIC_BYTES = Uint8Array.of(0x04, 0x05, 0x1b, 0x1c);
