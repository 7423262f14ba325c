import { BinlogType, decodePullBinlogResp, decodeTipbBinlog, type TipbBinlog } from '@tidb-drainer/core';
import { describe, expect, it } from 'vitest';

import { PumpStorage } from './pump-storage.js';
import { TsoAllocator } from './tso-allocator.js';

const p = (startTs: bigint, extra: Partial<TipbBinlog> = {}): TipbBinlog => ({ tp: BinlogType.Prewrite, startTs, commitTs: 0n, ddlJobId: 0n, ddlSchemaState: 0, ...extra });
const c = (startTs: bigint, commitTs: bigint, extra: Partial<TipbBinlog> = {}): TipbBinlog => ({ tp: BinlogType.Commit, startTs, commitTs, ddlJobId: 0n, ddlSchemaState: 0, ...extra });

function served(s: PumpStorage, after = 0n): TipbBinlog[] {
  return s.readAfter(after, 1000).map((e) => decodeTipbBinlog(decodePullBinlogResp(e.response).entity.payload));
}

describe('PumpStorage (pump sorter and merged C-binlogs)', () => {
  it('serves merged C-binlogs: body from the P-binlog, tp/commit_ts/prewrite_key from the C-binlog', () => {
    const s = new PumpStorage();
    s.write(p(10n, { prewriteKey: Buffer.from('pk'), prewriteValue: Buffer.from([1, 2, 3]) }));
    s.write(c(10n, 11n, { prewriteKey: Buffer.from('pk') }));
    s.write(p(20n, { ddlQuery: Buffer.from('create table t (a int)'), ddlJobId: 7n, ddlSchemaState: 5 }));
    s.write(c(20n, 21n));
    const out = served(s);
    expect(out.map((b) => [b.tp, b.startTs, b.commitTs])).toEqual([
      [BinlogType.Commit, 10n, 11n],
      [BinlogType.Commit, 20n, 21n],
    ]);
    expect([...out[0]!.prewriteValue!]).toEqual([1, 2, 3]);
    expect(Buffer.from(out[0]!.prewriteKey!).toString()).toBe('pk');
    expect(Buffer.from(out[1]!.ddlQuery!).toString()).toBe('create table t (a int)');
    expect(out[1]!.ddlJobId).toBe(7n);
    expect(out[1]!.ddlSchemaState).toBe(5);
    expect(out[1]!.prewriteKey).toBeUndefined();
  });

  it('holds the watermark behind an unresolved P-binlog; rollback discards it; commit_ts > offset only', () => {
    const s = new PumpStorage();
    s.write(p(10n));
    s.write(p(12n));
    s.write(c(12n, 15n));
    expect(s.maxCommitTs).toBe(0n); // P@10 still open: nothing may be served
    expect(served(s)).toEqual([]);
    s.write(c(10n, 14n)); // committed after a later txn: stored below 15, so 15 is safe only now
    expect(s.maxCommitTs).toBe(15n);
    expect(served(s).map((b) => b.commitTs)).toEqual([14n, 15n]);
    expect(served(s, 14n).map((b) => b.commitTs)).toEqual([15n]);
    s.write(p(16n));
    s.write({ tp: BinlogType.Rollback, startTs: 16n, commitTs: 0n, ddlJobId: 0n, ddlSchemaState: 0 });
    s.write({ tp: BinlogType.Rollback, startTs: 18n, commitTs: 18n, ddlJobId: 0n, ddlSchemaState: 0 }); // fake
    const all = served(s);
    expect(all.map((b) => b.commitTs)).toEqual([14n, 15n, 18n]);
    expect(all[2]!.tp).toBe(BinlogType.Rollback);
    expect(all[2]!.startTs).toBe(18n);
  });

  it('skips a C-binlog whose P-binlog it never saw, and ignores health-check writes', () => {
    const s = new PumpStorage();
    s.write(c(30n, 31n));
    s.write({ tp: BinlogType.Commit, startTs: 0n, commitTs: 0n, ddlJobId: 0n, ddlSchemaState: 0 });
    expect(s.orphanCommits).toBe(1);
    expect(served(s)).toEqual([]);
    expect(s.maxCommitTs).toBe(31n);
  });
});

describe('TsoAllocator', () => {
  it('is physical_ms << 18 | logical, strictly increasing, rolling into the next ms when logical overflows', () => {
    const t = new TsoAllocator(() => 1_700_000_000_000);
    const first = t.next();
    expect(first).toBe(1_700_000_000_000n << 18n);
    let prev = first;
    let violations = 0;
    for (let i = 0; i < (1 << 18) + 5; i++) {
      const n = t.next();
      if (n <= prev) violations++;
      prev = n;
    }
    expect(violations).toBe(0);
    expect(prev >> 18n).toBe(1_700_000_000_001n);
  });
});
