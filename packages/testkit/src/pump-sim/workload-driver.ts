import * as grpc from '@grpc/grpc-js';
import { BinlogType, PumpService, type TipbBinlog, type WriteBinlogResp, encodePrewriteValue, encodeTipbBinlog } from '@tidb-drainer/core';

import type { TsoAllocator } from './tso-allocator.js';

/** One transaction for the driver. Payloads are opaque: encode rows with the testkit encoder (or anything else). */
export type WorkloadTxn =
  | {
      readonly kind: 'dml';
      /** Serialized `binlog.PrewriteValue` (see `simplePrewriteValue` for a stand-in). */
      readonly prewriteValue: Uint8Array;
      /** Txn primary key carried in P and C binlogs. */
      readonly prewriteKey?: Uint8Array;
      /** Write a Rollback instead of a Commit (the pump discards the P-binlog). */
      readonly rollback?: boolean;
      /** Index of the pump to use; default: the driver's chooser. */
      readonly pump?: number;
    }
  | {
      readonly kind: 'ddl';
      readonly query: string;
      readonly jobId: bigint;
      /** job.SchemaState when written; 0 = None. */
      readonly schemaState?: number;
      readonly pump?: number;
    };

export interface WrittenTxn {
  readonly startTs: bigint;
  /** 0 for rolled-back transactions. */
  readonly commitTs: bigint;
  readonly pump: number;
}

export interface WorkloadDriverOptions {
  /** Pump addresses (`host:port`). */
  readonly pumps: readonly string[];
  readonly clusterId: bigint;
  readonly tso: TsoAllocator;
  /** Picks the pump for a txn that does not name one; default: random, as TiDB's range/hash selectors spread load. */
  readonly choose?: (txnIndex: number, pumpCount: number) => number;
}

/**
 * Writes transactions to pumps the way TiDB does (tidb-binlog.md §3.2): take start_ts, WriteBinlog the P-binlog,
 * then take commit_ts and WriteBinlog the C-binlog (or a Rollback with commit_ts 0) to the same pump. Each txn waits
 * for its P write before taking its commit ts — the ordering the pump's sorter relies on. Txns may run concurrently.
 *
 * Owner: `close()` closes the gRPC channels.
 */
export class WorkloadDriver {
  private readonly clients: grpc.Client[];
  private txns = 0;

  constructor(private readonly options: WorkloadDriverOptions) {
    this.clients = options.pumps.map((host) => new grpc.Client(host, grpc.credentials.createInsecure()));
  }

  async write(txn: WorkloadTxn): Promise<WrittenTxn> {
    const index = this.txns++;
    const pump = txn.pump ?? (this.options.choose ?? ((_, n) => Math.floor(Math.random() * n)))(index, this.clients.length);
    const startTs = this.options.tso.next();
    const p: TipbBinlog =
      txn.kind === 'dml'
        ? { tp: BinlogType.Prewrite, startTs, commitTs: 0n, prewriteKey: txn.prewriteKey, prewriteValue: txn.prewriteValue, ddlJobId: 0n, ddlSchemaState: 0 }
        : { tp: BinlogType.Prewrite, startTs, commitTs: 0n, ddlQuery: Buffer.from(txn.query, 'utf8'), ddlJobId: txn.jobId, ddlSchemaState: txn.schemaState ?? 0 };
    await this.send(pump, p);
    if (txn.kind === 'dml' && txn.rollback === true) {
      await this.send(pump, { ...p, tp: BinlogType.Rollback, commitTs: 0n, prewriteValue: undefined });
      return { startTs, commitTs: 0n, pump };
    }
    const commitTs = this.options.tso.next();
    await this.send(pump, { ...p, tp: BinlogType.Commit, commitTs, prewriteValue: undefined });
    return { startTs, commitTs, pump };
  }

  close(): void {
    for (const c of this.clients) c.close();
  }

  private send(pump: number, b: TipbBinlog): Promise<void> {
    const client = this.clients[pump];
    if (client === undefined) return Promise.reject(new RangeError(`no pump #${pump}`));
    const def = PumpService.writeBinlog;
    return new Promise((resolve, reject) => {
      client.makeUnaryRequest(
        def.path,
        def.requestSerialize,
        def.responseDeserialize,
        { clusterId: this.options.clusterId, payload: encodeTipbBinlog(b) },
        (err: grpc.ServiceError | null, resp?: WriteBinlogResp) => {
          if (err !== null) reject(err);
          else if (resp !== undefined && resp.errmsg !== '') reject(new Error(resp.errmsg));
          else resolve();
        },
      );
    });
  }
}

/**
 * A small valid PrewriteValue for upstream tests that do not care about row bytes: one table mutation with `rows`
 * opaque inserted rows of `rowBytes` bytes each (content derived from `seed`).
 */
export function simplePrewriteValue(tableId: bigint, rows: number, rowBytes = 32, seed = 0): Uint8Array {
  const insertedRows: Uint8Array[] = [];
  for (let i = 0; i < rows; i++) {
    const row = new Uint8Array(rowBytes);
    for (let j = 0; j < rowBytes; j++) row[j] = (seed + i * 31 + j) & 0xff;
    insertedRows.push(row);
  }
  return encodePrewriteValue({
    schemaVersion: 1n,
    mutations: [{ tableId, insertedRows, updatedRows: [], deletedIds: [], deletedPks: [], deletedRows: [], sequence: insertedRows.map(() => 0) }],
  });
}
