import { ColumnFlag } from '@tidb-drainer/core/sdk';
import type { ColumnInfo, ColumnValue, DdlEvent, IndexInfo, RowChange, TableInfo, Txn } from '@tidb-drainer/core/sdk';
import { PbBinlogType, PbEventType } from '../format/pb-binlog.js';
import type { PbBinlog, PbColumn, PbEvent } from '../format/pb-binlog.js';
import { isBinaryTypeStr, pbColumnValue } from './pb-values.js';

/** Supplies what a pb file lacks: a table's key (from the destination), by column names. */
export type KeyLookup = (schema: string, table: string) => readonly string[] | undefined;

/**
 * Turns pb_binlog records back into model events for a sink. The file carries column names, type codes and type
 * strings but no table definition: each (table, column layout) gets a synthetic TableInfo whose key comes from
 * `keys` (reparo asks the destination, as Go's loader does).
 */
export class PbEventBuilder {
  private readonly tables = new Map<string, TableInfo>();

  constructor(
    private readonly zone: string,
    private readonly keys: KeyLookup = () => undefined,
  ) {}

  /** A DDL record's text split per spec §8.5: the `use` database and the statement. */
  static splitDdl(query: string): { readonly schema: string; readonly statement: string } {
    const m = /^\s*use\s+(`(?:[^`]|``)*`|[^\s;]+)\s*;\s*([\s\S]*)$/i.exec(query);
    if (m === null) return { schema: '', statement: stripSemicolon(query) };
    const raw = m[1] ?? '';
    const schema = raw.startsWith('`') ? raw.slice(1, -1).replaceAll('``', '`') : raw;
    return { schema, statement: stripSemicolon(m[2] ?? '') };
  }

  /** Drops the synthetic tables (after a DDL: columns and keys may have changed). */
  forget(): void {
    this.tables.clear();
  }

  toEvent(b: PbBinlog): Txn | DdlEvent {
    if (b.tp === PbBinlogType.DDL) {
      const query = Buffer.from(b.ddlQuery ?? new Uint8Array()).toString('utf8');
      const { schema, statement } = PbEventBuilder.splitDdl(query);
      return { kind: 'ddl', commitTs: b.commitTs, schema, query: statement, jobId: 0, jobType: 0, schemaVersion: 0 };
    }
    const changes = (b.events ?? []).map((e) => this.change(e));
    return { kind: 'txn', commitTs: b.commitTs, startTs: 0n, schemaVersion: 0, changes, bytes: 0 };
  }

  private table(e: PbEvent): TableInfo {
    const schema = e.schemaName ?? '';
    const name = e.tableName ?? '';
    const layout = `${schema}\u0000${name}\u0000${e.row.map((c) => `${c.name}:${c.tp}:${c.mysqlType}`).join(',')}`;
    let t = this.tables.get(layout);
    if (t !== undefined) return t;
    const columns: ColumnInfo[] = e.row.map((c, offset) => syntheticColumn(c, offset));
    const keyNames = this.keys(schema, name) ?? [];
    const keyOffsets = keyNames.map((k) => columns.findIndex((c) => c.name.toLowerCase() === k.toLowerCase()));
    const indices: IndexInfo[] =
      keyOffsets.length > 0 && keyOffsets.every((o) => o >= 0)
        ? [
            {
              id: 1,
              name: 'PRIMARY',
              primary: true,
              unique: true,
              columns: keyOffsets,
              lengths: keyOffsets.map(() => -1),
            },
          ]
        : [];
    t = {
      id: 0,
      schema,
      name,
      columns,
      indices,
      pkIsHandle: false,
      isCommonHandle: false,
      schemaVersion: 0,
      charset: 'utf8mb4',
      collation: 'utf8mb4_bin',
    };
    this.tables.set(layout, t);
    return t;
  }

  private change(e: PbEvent): RowChange {
    const tableInfo = this.table(e);
    const schema = e.schemaName ?? '';
    const table = e.tableName ?? '';
    const values = (pick: (c: PbColumn) => Uint8Array | undefined): (ColumnValue | undefined)[] =>
      e.row.map((c) => {
        const bytes = pick(c);
        return bytes === undefined ? undefined : pbColumnValue(c.tp, c.mysqlType, bytes, c.name, this.zone);
      });
    switch (e.tp) {
      case PbEventType.Insert:
        return { op: 'insert', schema, table, tableInfo, after: values((c) => c.value) };
      case PbEventType.Update:
        return {
          op: 'update',
          schema,
          table,
          tableInfo,
          before: values((c) => c.value),
          after: values((c) => c.changedValue),
        };
      case PbEventType.Delete:
        return { op: 'delete', schema, table, tableInfo, before: values((c) => c.value) };
      default:
        return assertNever(e.tp);
    }
  }
}

function syntheticColumn(c: PbColumn, offset: number): ColumnInfo {
  const binary = isBinaryTypeStr(c.mysqlType);
  return {
    id: offset + 1,
    name: c.name,
    offset,
    type: c.tp,
    flag: binary ? ColumnFlag.Binary : 0,
    length: -1,
    decimal: -1,
    charset: binary ? 'binary' : 'utf8mb4',
    collation: binary ? 'binary' : 'utf8mb4_bin',
    elems: [],
    unsigned: false,
    nullable: true,
    generated: false,
    generatedStored: false,
    hidden: false,
    typeText: c.mysqlType,
  };
}

function stripSemicolon(s: string): string {
  return s.replace(/[\s;]+$/, '');
}

function assertNever(x: never): never {
  throw new TypeError(`unexpected pb event type ${String(x)}`);
}
