import { ColumnFlag } from '@tidb-drainer/core/sdk';
import type { ColumnValue, DdlEvent, RowChange, RowValues, TableInfo, Txn } from '@tidb-drainer/core/sdk';
import { defaultOrZero } from '../../format/default-or-zero.js';
import { typeToStr } from '../../format/type-names.js';
import { datumToColumn } from './datum-to-column.js';
import { BinlogType, MutationType } from './secondary-binlog.js';
import type { PbColumn, PbColumnInfo, PbKey, PbRow, PbTable, PbTableMutation, SecondaryBinlog } from './secondary-binlog.js';

const UTF8 = new TextEncoder();

interface TableShape {
  readonly columnInfo: readonly PbColumnInfo[];
  readonly uniqueKeys: readonly PbKey[];
}

// Shapes depend only on the table definition, which is shared by every row of one schema version.
const shapes = new WeakMap<TableInfo, TableShape>();

function tableShape(t: TableInfo): TableShape {
  let s = shapes.get(t);
  if (s !== undefined) return s;
  const columnInfo = t.columns.map((c) => ({
    name: c.name,
    mysqlType: typeToStr(c),
    isPrimaryKey: (c.flag & ColumnFlag.PriKey) !== 0,
    flen: c.length,
    decimal: c.decimal,
  }));
  const uniqueKeys: PbKey[] = [];
  if (t.pkIsHandle) {
    const pk = t.columns.find((c) => (c.flag & ColumnFlag.PriKey) !== 0);
    if (pk !== undefined) uniqueKeys.push({ name: 'PRIMARY', columnNames: [pk.name] });
  }
  for (const idx of t.indices) {
    if (!idx.unique && !idx.primary) continue;
    if (t.pkIsHandle && idx.name.toLowerCase() === 'primary') continue;
    uniqueKeys.push({ name: idx.name, columnNames: idx.columns.map((o) => t.columns[o]?.name ?? '') });
  }
  s = { columnInfo, uniqueKeys };
  shapes.set(t, s);
  return s;
}

/** How an absent column (`undefined`) is filled: insert/delete use the default or zero, update uses NULL (source quirk). */
type Absent = 'default' | 'null';

function toRow(t: TableInfo, values: RowValues, absent: Absent, zone: string): PbRow {
  const columns: PbColumn[] = new Array<PbColumn>(t.columns.length);
  for (let i = 0; i < t.columns.length; i++) {
    const col = t.columns[i];
    if (col === undefined) continue;
    let v: ColumnValue | undefined = values[i];
    if (v === undefined) v = absent === 'default' ? defaultOrZero(col) : null;
    columns[i] = datumToColumn(col, v, zone);
  }
  return { columns };
}

function toMutation(ch: RowChange, zone: string): PbTableMutation {
  const t = ch.tableInfo;
  switch (ch.op) {
    case 'insert':
      return { type: MutationType.Insert, row: toRow(t, ch.after, 'default', zone) };
    case 'update':
      return { type: MutationType.Update, row: toRow(t, ch.after, 'null', zone), changeRow: toRow(t, ch.before, 'null', zone) };
    case 'delete':
      return { type: MutationType.Delete, row: toRow(t, ch.before, 'default', zone) };
  }
}

/**
 * A transaction as the Go drainer's Kafka sink sends it: one `Table` per table mutation (consecutive changes of
 * one table definition, which is how the model keeps PrewriteValue order), mutations in sequence order.
 */
export function txnToSecondaryBinlog(txn: Txn, zone: string): SecondaryBinlog {
  const tables: PbTable[] = [];
  let current: { info: TableInfo; schema: string; table: string; mutations: PbTableMutation[] } | undefined;
  const close = (): void => {
    if (current === undefined) return;
    const shape = tableShape(current.info);
    tables.push({ schemaName: current.schema, tableName: current.table, columnInfo: shape.columnInfo, mutations: current.mutations, uniqueKeys: shape.uniqueKeys });
  };
  for (const ch of txn.changes) {
    if (current === undefined || current.info !== ch.tableInfo || current.schema !== ch.schema || current.table !== ch.table) {
      close();
      current = { info: ch.tableInfo, schema: ch.schema, table: ch.table, mutations: [] };
    }
    current.mutations.push(toMutation(ch, zone));
  }
  close();
  return { type: BinlogType.DML, commitTs: txn.commitTs, dmlData: { tables } };
}

/** A DDL as the Go drainer sends it: the raw query (no `USE`), schema and table names. */
export function ddlToSecondaryBinlog(ddl: DdlEvent): SecondaryBinlog {
  return {
    type: BinlogType.DDL,
    commitTs: ddl.commitTs,
    ddlData: { schemaName: ddl.schema, tableName: ddl.table ?? '', ddlQuery: UTF8.encode(ddl.query) },
  };
}
