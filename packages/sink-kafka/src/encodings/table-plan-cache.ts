import type { TableInfo } from '@tidb-drainer/core/sdk';

/**
 * Per-table encoder state (column lists, schemas, header text) built once per table version and routed name.
 * Keyed by the TableInfo object, which a schema change replaces, so a stale plan is never reused and is
 * collected with its table; then by `schema.table`, since routing may give one table several names.
 */
export class TablePlanCache<P> {
  private readonly byTable = new WeakMap<TableInfo, Map<string, P>>();

  constructor(private readonly build: (t: TableInfo, schema: string, table: string) => P) {}

  get(t: TableInfo, schema: string, table: string): P {
    let m = this.byTable.get(t);
    if (m === undefined) {
      m = new Map();
      this.byTable.set(t, m);
    }
    const k = `${schema}.${table}`;
    let p = m.get(k);
    if (p === undefined) {
      p = this.build(t, schema, table);
      m.set(k, p);
    }
    return p;
  }
}

/** The columns the row encoders emit: all but virtual generated ones (they are not stored), in table order. */
export function storedColumns(t: TableInfo): TableInfo['columns'] {
  return t.columns.filter((c) => !(c.generated && !c.generatedStored));
}
