/**
 * Go's drainer `updateTS`: the last TSO fetched from PD plus the whole seconds elapsed since, in TSO units
 * (`seconds × 1000 << 18`). Without a PD TSO source the wall clock stands in for PD.
 */
export class ApproxTso {
  private base: bigint;
  private baseAt: number;

  constructor(base: bigint = wallClockTso(), now: () => number = Date.now) {
    this.now = now;
    this.base = base;
    this.baseAt = now();
  }

  private readonly now: () => number;

  /** Resets the base (after a fresh PD TSO). */
  set(tso: bigint): void {
    this.base = tso;
    this.baseAt = this.now();
  }

  get(): bigint {
    const seconds = BigInt(Math.floor((this.now() - this.baseAt) / 1000));
    return this.base + ((seconds * 1000n) << 18n);
  }
}

/** The wall clock as a TSO (logical part 0). */
export function wallClockTso(now: number = Date.now()): bigint {
  return BigInt(now) << 18n;
}
