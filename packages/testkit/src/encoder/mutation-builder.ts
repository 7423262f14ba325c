import { MutationType } from '@tidb-drainer/core';
import type { TableMutation } from '@tidb-drainer/core';
import type { RowValues, TableInfo } from '@tidb-drainer/core/codec';
import type { RowEncodeOptions } from './row-encoder.js';
import { encodeDeleteRow, encodeInsertRow, encodeUpdateRow } from './row-encoder.js';

/**
 * Collects the row changes one transaction makes to one table into a `TableMutation` as TiDB fills it (spec §1.2):
 * one list per kind plus `sequence` recording the order. `tableId` is the logical table id (partitioned tables
 * included).
 */
export class TableMutationBuilder {
  private readonly inserted: Uint8Array[] = [];
  private readonly updated: Uint8Array[] = [];
  private readonly deleted: Uint8Array[] = [];
  private readonly sequence: MutationType[] = [];

  constructor(
    readonly table: TableInfo,
    private readonly defaults: RowEncodeOptions = {},
  ) {}

  insert(values: RowValues, opts: RowEncodeOptions = {}): this {
    this.inserted.push(encodeInsertRow(this.table, values, { ...this.defaults, ...opts }));
    this.sequence.push(MutationType.Insert);
    return this;
  }

  update(before: RowValues, after: RowValues, opts: RowEncodeOptions = {}): this {
    this.updated.push(encodeUpdateRow(this.table, before, after, { ...this.defaults, ...opts }));
    this.sequence.push(MutationType.Update);
    return this;
  }

  delete(values: RowValues, opts: RowEncodeOptions = {}): this {
    this.deleted.push(encodeDeleteRow(this.table, values, { ...this.defaults, ...opts }));
    this.sequence.push(MutationType.DeleteRow);
    return this;
  }

  get size(): number {
    return this.sequence.length;
  }

  build(): TableMutation {
    return {
      tableId: BigInt(this.table.id),
      insertedRows: [...this.inserted],
      updatedRows: [...this.updated],
      deletedIds: [],
      deletedPks: [],
      deletedRows: [...this.deleted],
      sequence: [...this.sequence],
    };
  }
}
