import { MinHeap } from '../util/min-heap.js';
import { ActionType, SchemaState } from './ddl-action.js';
import type { TidbJob } from './tidb-json.js';
import { jobSchemaVersion } from './tidb-json.js';

/**
 * Min-heap of DDL jobs by schema version. Among equal versions a DROP COLUMN job at DeleteOnly (the extra binlog TiDB
 * writes mid-drop) comes before the finished one, as the two arrive in that order in the binlog stream.
 */
export class JobHeap extends MinHeap<TidbJob> {
  constructor() {
    super(before);
  }

  has(jobId: number, schemaState: number): boolean {
    return this.some((j) => j.id === jobId && j.schema_state === schemaState);
  }
}

function isDeleteOnlyDrop(j: TidbJob): boolean {
  return j.type === ActionType.DropColumn && j.schema_state === SchemaState.DeleteOnly;
}

function before(a: TidbJob, b: TidbJob): boolean {
  const va = jobSchemaVersion(a);
  const vb = jobSchemaVersion(b);
  if (va !== vb) return va < vb;
  if (isDeleteOnlyDrop(a) !== isDeleteOnlyDrop(b)) return isDeleteOnlyDrop(a);
  return a.id < b.id;
}
