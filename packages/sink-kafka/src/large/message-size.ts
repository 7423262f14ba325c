/** Worst-case per-record overhead a producer adds (TiCDC `MaxRecordOverhead`: 5 × 5-byte varints + one 10-byte varint + 1). */
export const RECORD_OVERHEAD = 36;
/** Headroom TiCDC keeps below a topic's `max.message.bytes` for the record-batch header. */
export const BATCH_HEADROOM = 128;

/** Size of a message as every limit check counts it: key + value + 36. */
export function messageSize(key: Uint8Array | null, value: Uint8Array | null): number {
  return (key?.length ?? 0) + (value?.length ?? 0) + RECORD_OVERHEAD;
}

/** The effective limit: the configured one, lowered to the topic's own limit minus headroom when that is smaller. */
export function effectiveLimit(configured: number, topicMax: number | undefined): number {
  if (topicMax === undefined || !Number.isFinite(topicMax) || topicMax <= BATCH_HEADROOM) return configured;
  return Math.min(configured, topicMax - BATCH_HEADROOM);
}
