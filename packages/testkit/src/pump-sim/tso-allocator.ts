/** Bits of the logical part of a TSO. */
const LOGICAL_BITS = 18n;
const MAX_LOGICAL = (1 << 18) - 1;

/**
 * PD's timestamp oracle for tests: `ts = physical_ms << 18 | logical`, strictly increasing across all callers that
 * share one allocator (one allocator = one PD). When the logical part would overflow it moves to the next ms, as PD
 * does. `now` is injectable so tests can start from a fixed time.
 */
export class TsoAllocator {
  private physical = 0;
  private logical = 0;

  constructor(private readonly now: () => number = Date.now) {}

  next(): bigint {
    const wall = Math.trunc(this.now());
    if (wall > this.physical) {
      this.physical = wall;
      this.logical = 0;
    } else if (this.logical >= MAX_LOGICAL) {
      this.physical++;
      this.logical = 0;
    } else {
      this.logical++;
    }
    return (BigInt(this.physical) << LOGICAL_BITS) | BigInt(this.logical);
  }

  /** The last TSO handed out (0 before the first). */
  current(): bigint {
    return (BigInt(this.physical) << LOGICAL_BITS) | BigInt(this.logical);
  }
}
