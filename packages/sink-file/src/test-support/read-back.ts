import type { CanonicalChange, CanonicalRow } from '@tidb-drainer/testkit/conformance';
import { valueText } from '@tidb-drainer/core';
import type { ColumnValue, RowValues, TableInfo } from '@tidb-drainer/core/sdk';
import { readBinlogDir } from '../reader/read-binlog-dir.js';
import { PbEventBuilder } from '../reparo/pb-to-events.js';

/**
 * Test helper: every record of a binlog directory as canonical changes. `tables` supplies ENUM/SET member names
 * (the file has only indexes and masks), looked up by table and column name.
 */
export async function readBackDir(dir: string, zone: string, tables: readonly TableInfo[]): Promise<CanonicalChange[]> {
  const builder = new PbEventBuilder(zone);
  const elems = new Map<string, readonly string[]>();
  const binary = new Set<string>();
  for (const t of tables) {
    for (const c of t.columns) {
      elems.set(`${t.name}.${c.name}`, c.elems);
      if (c.charset === 'binary') binary.add(`${t.name}.${c.name}`);
    }
  }
  const canonical = (t: TableInfo, values: RowValues): CanonicalRow => {
    const row: Record<string, string> = {};
    t.columns.forEach((c, i) => {
      let v: ColumnValue | undefined = values[i];
      if (v === undefined) return;
      // The file cannot tell VARBINARY (type var_string) from VARCHAR: the table definition can.
      if (typeof v === 'string' && binary.has(`${t.name}.${c.name}`)) v = Buffer.from(v, 'utf8');
      const names = elems.get(`${t.name}.${c.name}`) ?? [];
      if (v !== null && typeof v === 'object' && 'kind' in v && v.kind === 'enum')
        v = { ...v, name: names[v.index - 1] ?? '' };
      if (v !== null && typeof v === 'object' && 'kind' in v && v.kind === 'set') {
        const mask = v.mask;
        v = { ...v, names: names.filter((_, b) => (mask >> BigInt(b)) & 1n) };
      }
      const text = valueText(v);
      if (text !== null) row[c.name] = text;
    });
    return row;
  };
  const out: CanonicalChange[] = [];
  for await (const item of readBinlogDir(dir)) {
    if (item.kind !== 'binlog') continue;
    const ev = builder.toEvent(item.binlog);
    if (ev.kind === 'ddl') {
      out.push({ op: 'ddl', commitTs: ev.commitTs, schema: ev.schema, query: ev.query });
      continue;
    }
    for (const c of ev.changes) {
      const base = { commitTs: ev.commitTs, schema: c.schema, table: c.table };
      switch (c.op) {
        case 'insert':
          out.push({ ...base, op: 'insert', after: canonical(c.tableInfo, c.after) });
          break;
        case 'update':
          out.push({
            ...base,
            op: 'update',
            before: canonical(c.tableInfo, c.before),
            after: canonical(c.tableInfo, c.after),
          });
          break;
        case 'delete':
          out.push({ ...base, op: 'delete', before: canonical(c.tableInfo, c.before) });
          break;
      }
    }
  }
  return out;
}
