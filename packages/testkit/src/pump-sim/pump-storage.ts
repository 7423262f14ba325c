import { BinlogType, type TipbBinlog, encodePullBinlogResp, encodeTipbBinlog } from '@tidb-drainer/core';

/** One stored C-binlog or fake binlog, with its PullBinlogResp already encoded (encoded once, served many times). */
export interface StoredEntry {
  readonly commitTs: bigint;
  readonly startTs: bigint;
  readonly response: Buffer;
}

type Arrival = { readonly kind: 'prewrite'; readonly startTs: bigint } | { readonly kind: 'commit'; readonly commitTs: bigint };

/**
 * A pump's storage and sorter (tidb-binlog.md §3.3, §4.3), in memory. Every write is stored on arrival; the sorter
 * walks arrivals FIFO, a Prewrite blocks it until its Commit/Rollback has arrived, and each Commit/fake it passes may
 * raise `maxCommitTs`. Pulls serve only entries ≤ `maxCommitTs`, so each stream is ordered and gap-free as long as
 * writers follow TiDB's order (P before getting the commit ts, C after). Survives `kill`/`restart` of the pump (the
 * object outlives the gRPC server), as the real pump's disk does.
 */
export class PumpStorage {
  private readonly prewrites = new Map<bigint, TipbBinlog>();
  private readonly resolved = new Set<bigint>();
  private readonly arrivals: Arrival[] = [];
  private arrivalHead = 0;
  /** Sorted by commit ts. */
  private readonly entries: StoredEntry[] = [];
  private max = 0n;
  private readonly listeners = new Set<() => void>();
  /** P-binlogs whose commit arrived without them (skipped when served, as the real pump does). */
  orphanCommits = 0;

  get maxCommitTs(): bigint {
    return this.max;
  }

  get size(): number {
    return this.entries.length;
  }

  /** Stores one binlog written by TiDB (a P, C or Rollback) or a fake. */
  write(b: TipbBinlog): void {
    if (b.startTs === 0n && b.commitTs === 0n) return; // TiDB client health checks are ignored (§12.8)
    switch (b.tp) {
      case BinlogType.Prewrite:
        this.prewrites.set(b.startTs, b);
        this.arrivals.push({ kind: 'prewrite', startTs: b.startTs });
        break;
      case BinlogType.Rollback:
        if (b.startTs === b.commitTs) {
          this.insert({ commitTs: b.commitTs, startTs: b.startTs, response: this.encode(b) });
          this.arrivals.push({ kind: 'commit', commitTs: b.commitTs });
        } else {
          this.prewrites.delete(b.startTs);
          this.resolved.add(b.startTs);
        }
        break;
      case BinlogType.Commit: {
        const p = this.prewrites.get(b.startTs);
        this.prewrites.delete(b.startTs);
        this.resolved.add(b.startTs);
        if (p === undefined) {
          this.orphanCommits++;
        } else {
          // The merged C-binlog of §3.3: body from the P-binlog, tp/commit_ts/prewrite_key from the C-binlog.
          const merged: TipbBinlog = {
            tp: BinlogType.Commit,
            startTs: p.startTs,
            commitTs: b.commitTs,
            prewriteKey: b.prewriteKey,
            prewriteValue: p.prewriteValue,
            ddlQuery: p.ddlQuery,
            ddlJobId: p.ddlJobId,
            ddlSchemaState: p.ddlSchemaState,
          };
          this.insert({ commitTs: b.commitTs, startTs: p.startTs, response: this.encode(merged) });
        }
        this.arrivals.push({ kind: 'commit', commitTs: b.commitTs });
        break;
      }
      case BinlogType.PreDDL:
      case BinlogType.PostDDL:
        // Obsolete: TiDB v7 never writes them; stored nowhere.
        break;
    }
    this.sort();
  }

  /** Stores raw payload bytes as if they were a binlog at `commitTs` (for corrupt-payload tests). */
  writeRawPayload(commitTs: bigint, startTs: bigint, payload: Uint8Array): void {
    const response = Buffer.from(encodePullBinlogResp({ entity: { pos: { suffix: 0n, offset: 0n }, payload, checksum: new Uint8Array(0), meta: { startTs, commitTs } } }));
    this.insert({ commitTs, startTs, response });
    this.arrivals.push({ kind: 'commit', commitTs });
    this.sort();
  }

  /** Entries with commit ts > `after` and ≤ maxCommitTs, ascending, at most `limit`. */
  readAfter(after: bigint, limit: number): StoredEntry[] {
    const e = this.entries;
    let lo = 0;
    let hi = e.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (e[mid]!.commitTs <= after) lo = mid + 1;
      else hi = mid;
    }
    const out: StoredEntry[] = [];
    for (let i = lo; i < e.length && out.length < limit; i++) {
      const entry = e[i]!;
      if (entry.commitTs > this.max) break;
      out.push(entry);
    }
    return out;
  }

  /** Calls `fn` whenever maxCommitTs moves. Returns an unsubscribe function. */
  onAdvance(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private encode(b: TipbBinlog): Buffer {
    const payload = encodeTipbBinlog(b);
    return Buffer.from(encodePullBinlogResp({ entity: { pos: { suffix: 0n, offset: 0n }, payload, checksum: new Uint8Array(0), meta: { startTs: b.startTs, commitTs: b.commitTs } } }));
  }

  private insert(entry: StoredEntry): void {
    const e = this.entries;
    let i = e.length;
    while (i > 0 && e[i - 1]!.commitTs > entry.commitTs) i--;
    if (i > 0 && e[i - 1]!.commitTs === entry.commitTs) {
      e[i - 1] = entry; // same key: the later write replaces the earlier, as a KV store would
      return;
    }
    e.splice(i, 0, entry);
  }

  private sort(): void {
    const before = this.max;
    while (this.arrivalHead < this.arrivals.length) {
      const a = this.arrivals[this.arrivalHead]!;
      if (a.kind === 'prewrite') {
        if (!this.resolved.has(a.startTs)) break;
        this.resolved.delete(a.startTs);
      } else if (a.commitTs > this.max) {
        this.max = a.commitTs;
      }
      this.arrivalHead++;
    }
    if (this.arrivalHead > 4096 && this.arrivalHead * 2 > this.arrivals.length) {
      this.arrivals.splice(0, this.arrivalHead);
      this.arrivalHead = 0;
    }
    if (this.max !== before) for (const fn of this.listeners) fn();
  }
}
