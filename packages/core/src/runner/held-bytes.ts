import type { ChangeEvent } from '../model/events.js';

/**
 * What one row costs on the JS heap beyond its payload: the RowChange object, the values array, boxed bigints,
 * decimal/time objects. Measured with bench/runner.bench.ts (backlog phase): ~1 KB of RSS per 10-column row
 * whose binlog payload is ~120 B, i.e. counting payload bytes alone under-counts memory ~8×.
 */
export const HEAP_BYTES_PER_ROW = 512;
/** Decoded strings and byte arrays take about twice their encoded size (UTF-16 / object headers). */
export const HEAP_BYTES_PER_PAYLOAD_BYTE = 2;
/** A DDL or watermark: the object and its strings. */
export const EVENT_OVERHEAD_BYTES = 256;

/**
 * The bytes an event is charged against the memory quota: an estimate of its heap footprint, so the quota bounds
 * RSS and not just the wire size of what is held.
 */
export function heldBytesOf(ev: ChangeEvent): number {
  switch (ev.kind) {
    case 'txn':
      return ev.bytes * HEAP_BYTES_PER_PAYLOAD_BYTE + ev.changes.length * HEAP_BYTES_PER_ROW;
    case 'ddl':
      return EVENT_OVERHEAD_BYTES + ev.query.length * HEAP_BYTES_PER_PAYLOAD_BYTE;
    case 'resolved':
      return EVENT_OVERHEAD_BYTES;
    default:
      throw new TypeError('unknown event');
  }
}
