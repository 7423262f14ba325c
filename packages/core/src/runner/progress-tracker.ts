import type { CommitTs } from '../model/commit-ts.js';

interface Entry {
  readonly id: number;
  readonly commitTs: CommitTs;
  readonly schemaVersion: number;
  acked: boolean;
}

/**
 * Turns out-of-order acknowledgements into a checkpoint. Items (batches, DDL, resolved watermarks) are registered
 * in commit-ts order; `checkpointTs` is the commit ts of the last item of the longest fully acknowledged prefix,
 * so a later batch that finishes first never moves the checkpoint past an earlier one still in flight or failed.
 */
export class ProgressTracker {
  private readonly entries: Entry[] = [];
  private nextId = 1;
  private ts: CommitTs;
  private version: number;

  constructor(start: CommitTs, schemaVersion = 0) {
    this.ts = start;
    this.version = schemaVersion;
  }

  /** Everything ≤ this is acknowledged (and nothing unacknowledged is below it). */
  get checkpointTs(): CommitTs {
    return this.ts;
  }

  /** The highest schema version among acknowledged items (only ever increases, as in the Go checkpoint). */
  get schemaVersion(): number {
    return this.version;
  }

  /** Registered but not yet passed over. */
  get pending(): number {
    return this.entries.length;
  }

  /** Registers an item; returns the id to `ack`. `commitTs` must not go backwards. */
  add(commitTs: CommitTs, schemaVersion: number): number {
    const last = this.entries[this.entries.length - 1]?.commitTs ?? this.ts;
    if (commitTs < last) throw new RangeError(`ProgressTracker: commit ts ${commitTs} registered after ${last}`);
    const id = this.nextId++;
    this.entries.push({ id, commitTs, schemaVersion, acked: false });
    return id;
  }

  /** A watermark: acknowledged on arrival, it takes effect once everything registered before it is acknowledged. */
  addResolved(commitTs: CommitTs): void {
    if (commitTs <= (this.entries[this.entries.length - 1]?.commitTs ?? this.ts)) return;
    this.ack(this.add(commitTs, 0));
  }

  ack(id: number): void {
    const e = this.entries.find((x) => x.id === id);
    if (e === undefined) throw new RangeError(`ProgressTracker: unknown or already passed item ${id}`);
    e.acked = true;
    while (this.entries[0]?.acked === true) {
      const head = this.entries.shift() as Entry;
      this.ts = head.commitTs;
      if (head.schemaVersion > this.version) this.version = head.schemaVersion;
    }
  }
}
