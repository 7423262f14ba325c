/**
 * A TiDB TSO: `physical_ms << 18 | logical`. About 2^58 today, so always a `bigint`, never a JS number.
 */
export type CommitTs = bigint;

const LOGICAL_BITS = 18n;

/** Milliseconds since the Unix epoch encoded in a TSO. */
export function tsoPhysicalMs(ts: CommitTs): number {
  return Number(ts >> LOGICAL_BITS);
}

/** The TSO for a wall-clock time in milliseconds plus a logical counter. */
export function tsoFromPhysical(physicalMs: number, logical = 0): CommitTs {
  return (BigInt(Math.trunc(physicalMs)) << LOGICAL_BITS) + BigInt(logical);
}

/** The date a TSO stands for (millisecond precision). */
export function tsoToDate(ts: CommitTs): Date {
  return new Date(tsoPhysicalMs(ts));
}

/** Parses a decimal TSO string strictly (no sign, no fraction); returns undefined when it is not one. */
export function parseTso(text: string): CommitTs | undefined {
  return /^\d{1,20}$/.test(text) ? BigInt(text) : undefined;
}
