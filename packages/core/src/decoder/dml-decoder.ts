import { decodeDeleteRow, decodeInsertRow, decodeUpdateRow } from '../codec/row-decoder.js';
import type { RowDecodeContext } from '../codec/row-decoder.js';
import { DecodeError } from '../errors/drainer-error.js';
import type { RowChange } from '../model/events.js';
import type { TableInfo } from '../model/table-info.js';
import type { TableMutation } from '../protocol/tipb-types.js';
import { MutationType } from '../protocol/tipb-types.js';
import { MAX_GLOBAL_ID } from '../schema/ddl-action.js';
import { TableNotFoundError } from '../schema/schema-errors.js';
import type { SchemaTracker } from '../schema/schema-tracker.js';

export interface MutationContext {
  readonly commitTs: bigint;
  readonly schemaVersion: number;
  readonly pump?: string;
}

/** A table id from the wire as a number; ids are < 2^48 in TiDB, anything else is a corrupt binlog. */
export function tableIdOf(m: TableMutation, ctx: MutationContext): number {
  const id = m.tableId;
  if (id < BigInt(Number.MIN_SAFE_INTEGER) || id > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new DecodeError(`table id ${id} out of range`, {
      commitTs: ctx.commitTs,
      ...(ctx.pump !== undefined ? { pump: ctx.pump } : {}),
    });
  }
  return Number(id);
}

/** Whether a mutation is dropped before decoding: DML on a truncated table's old id, or on a DDL-internal table. */
export function isDroppedMutation(tracker: SchemaTracker, tableId: number): boolean {
  return tracker.isTruncatedTableId(tableId) || tableId > MAX_GLOBAL_ID;
}

/**
 * Appends the row changes of one TableMutation to `out`, walking `sequence` with one cursor per row list
 * (Insert → `insertedRows`, Update → `updatedRows`, DeleteRow → `deletedRows`). The obsolete DeleteID/DeletePK types
 * and a sequence that runs past its list are DecodeErrors, as in the Go drainer's `sequenceIterator`.
 */
export function decodeMutation(
  tracker: SchemaTracker,
  m: TableMutation,
  tableId: number,
  ctx: MutationContext,
  out: RowChange[],
): void {
  const table = tracker.tableById(tableId);
  if (table === undefined)
    throw new TableNotFoundError({ commitTs: ctx.commitTs, tableId, schemaVersion: ctx.schemaVersion });
  const pinfo = tracker.tableBySchemaVersion(tableId, ctx.schemaVersion);
  const rowCtx: RowDecodeContext = {
    commitTs: ctx.commitTs,
    ...(ctx.pump !== undefined ? { pump: ctx.pump } : {}),
    ...(pinfo !== undefined ? { pinfo } : {}),
    appendDefaults: tracker.canAppendDefaultValue(tableId, ctx.schemaVersion),
  };
  let ins = 0;
  let upd = 0;
  let del = 0;
  for (const tp of m.sequence) {
    switch (tp) {
      case MutationType.Insert: {
        const row = rowAt(m.insertedRows, ins++, 'inserted_rows', table, ctx);
        out.push({
          op: 'insert',
          schema: table.schema,
          table: table.name,
          tableInfo: table,
          after: decodeInsertRow(table, row, rowCtx),
        });
        break;
      }
      case MutationType.Update: {
        const row = rowAt(m.updatedRows, upd++, 'updated_rows', table, ctx);
        const { before, after } = decodeUpdateRow(table, row, rowCtx);
        out.push({ op: 'update', schema: table.schema, table: table.name, tableInfo: table, before, after });
        break;
      }
      case MutationType.DeleteRow: {
        const row = rowAt(m.deletedRows, del++, 'deleted_rows', table, ctx);
        out.push({
          op: 'delete',
          schema: table.schema,
          table: table.name,
          tableInfo: table,
          before: decodeDeleteRow(table, row, rowCtx),
        });
        break;
      }
      case MutationType.DeleteID:
      case MutationType.DeletePK:
      default:
        throw new DecodeError(
          `unsupported mutation type ${String(tp)} in sequence of table ${table.schema}.${table.name}`,
          details(table, ctx),
        );
    }
  }
}

function rowAt(
  rows: readonly Uint8Array[],
  k: number,
  list: string,
  table: TableInfo,
  ctx: MutationContext,
): Uint8Array {
  const row = rows[k];
  if (row === undefined) {
    throw new DecodeError(
      `sequence asks for ${list}[${k}] but the mutation has ${rows.length} (table ${table.schema}.${table.name})`,
      details(table, ctx),
    );
  }
  return row;
}

function details(table: TableInfo, ctx: MutationContext): ConstructorParameters<typeof DecodeError>[1] {
  return {
    commitTs: ctx.commitTs,
    schema: table.schema,
    table: table.name,
    tableId: table.id,
    ...(ctx.pump !== undefined ? { pump: ctx.pump } : {}),
  };
}
