import { ActionType, SchemaState } from '@tidb-drainer/core';
import type { TidbJobJson } from './tidb-schema-model.js';

/** The DDL variant of the pump-sim workload's `WorkloadTxn`, for one history job. */
export interface DdlWorkloadTxn {
  readonly kind: 'ddl';
  readonly query: string;
  readonly jobId: bigint;
  readonly schemaState: number;
}

/**
 * The DDL binlog(s) TiDB writes for a finished job (spec §3.2): one with the job's query at its final schema state;
 * for DROP COLUMN an extra one at DeleteOnly comes first.
 */
export function ddlBinlogsFor(job: TidbJobJson): DdlWorkloadTxn[] {
  const done: DdlWorkloadTxn = { kind: 'ddl', query: job.query, jobId: BigInt(job.id), schemaState: job.schema_state };
  if (job.type === ActionType.DropColumn) return [{ ...done, schemaState: SchemaState.DeleteOnly }, done];
  return [done];
}
