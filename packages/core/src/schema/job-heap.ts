import { ActionType, SchemaState } from './ddl-action.js';
import type { TidbJob } from './tidb-json.js';
import { jobSchemaVersion } from './tidb-json.js';

/**
 * Min-heap of DDL jobs by schema version. Among equal versions a DROP COLUMN job at DeleteOnly (the extra binlog TiDB
 * writes mid-drop) comes before the finished one, as the two arrive in that order in the binlog stream.
 */
export class JobHeap {
  private readonly items: TidbJob[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): TidbJob | undefined {
    return this.items[0];
  }

  has(jobId: number, schemaState: number): boolean {
    return this.items.some((j) => j.id === jobId && j.schema_state === schemaState);
  }

  push(job: TidbJob): void {
    const a = this.items;
    a.push(job);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(a[i]!, a[p]!)) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }

  pop(): TidbJob | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && before(a[l]!, a[m]!)) m = l;
        if (r < a.length && before(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
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
