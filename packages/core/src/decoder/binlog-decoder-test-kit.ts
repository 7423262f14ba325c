import type { Registry } from 'prom-client';
import type { TableInfo } from '../model/table-info.js';
import { encodePrewriteValue } from '../protocol/tipb-codec.js';
import type { MutationType, TableMutation } from '../protocol/tipb-types.js';
import { BinlogType } from '../protocol/tipb-types.js';
import type { MergedBinlog } from '../upstream/merged-item.js';
import type { DdlJobSource } from '../schema/ddl-job-source.js';
import { SchemaFileSource } from '../schema/schema-file-source.js';
import { SchemaTracker } from '../schema/schema-tracker.js';
import { readTidbJob } from '../schema/tidb-json.js';
import type { TidbJob } from '../schema/tidb-json.js';
import { BinlogDecoder } from './binlog-decoder.js';

/**
 * Test helpers for the BinlogDecoder tests: merged binlogs built from testkit's TidbSchemaModel. Typed structurally
 * (not importing testkit) because this file is part of core's build.
 */
interface JobHistory {
  readonly jobs: readonly TidbJob[];
  jobById(id: number): TidbJob | undefined;
}

export const signal: AbortSignal = new AbortController().signal;
let ts = 1000n;
const nextTs = (): bigint => (ts += 10n);

/** Serves the model's history as it is at each call (jobs added later become visible, as in TiDB). */
export function liveSource(model: JobHistory): DdlJobSource {
  return {
    openHistory: () => new SchemaFileSource(model.jobs.map((j) => readTidbJob(j))).openHistory(),
    jobById: (id) => Promise.resolve(model.jobById(id) === undefined ? undefined : readTidbJob(model.jobById(id))),
  };
}

export function mutation(
  table: TableInfo | number,
  rows: { ins?: Uint8Array[]; upd?: Uint8Array[]; del?: Uint8Array[] },
  sequence: MutationType[],
): TableMutation {
  return {
    tableId: BigInt(typeof table === 'number' ? table : table.id),
    insertedRows: rows.ins ?? [],
    updatedRows: rows.upd ?? [],
    deletedIds: [],
    deletedPks: [],
    deletedRows: rows.del ?? [],
    sequence,
  };
}

export function dml(schemaVersion: number, mutations: TableMutation[]): MergedBinlog {
  const commitTs = nextTs();
  const prewriteValue = encodePrewriteValue({ schemaVersion: BigInt(schemaVersion), mutations });
  return {
    kind: 'binlog',
    commitTs,
    startTs: commitTs - 5n,
    payloadBytes: prewriteValue.length + 40,
    pump: 'pump-1',
    binlog: { tp: BinlogType.Commit, startTs: commitTs - 5n, commitTs, prewriteValue, ddlJobId: 0n, ddlSchemaState: 0 },
  };
}

export function ddl(job: { id: number }, query: string, schemaState = 0): MergedBinlog {
  const commitTs = nextTs();
  return {
    kind: 'binlog',
    commitTs,
    startTs: commitTs - 5n,
    payloadBytes: 60,
    pump: 'pump-1',
    binlog: {
      tp: BinlogType.Commit,
      startTs: commitTs - 5n,
      commitTs,
      ddlQuery: new TextEncoder().encode(query),
      ddlJobId: BigInt(job.id),
      ddlSchemaState: schemaState,
    },
  };
}

export function version(job: TidbJob): number {
  return job.binlog!.SchemaVersion;
}

export function setup(model: JobHistory, source: DdlJobSource = liveSource(model), registry?: Registry): BinlogDecoder {
  const tracker = new SchemaTracker({ source });
  return new BinlogDecoder({ tracker, jobs: source, jobPollMs: 5, ...(registry !== undefined ? { registry } : {}) });
}
