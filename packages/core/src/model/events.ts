import type { CommitTs } from './commit-ts.js';
import type { TableInfo } from './table-info.js';
import type { RowValues } from './values.js';

interface RowChangeBase {
  readonly schema: string;
  readonly table: string;
  readonly tableInfo: TableInfo;
}

/** A new row: `after` holds every column (missing ones already filled with default / NULL / zero). */
export interface InsertChange extends RowChangeBase {
  readonly op: 'insert';
  readonly after: RowValues;
}

/** An updated row: `before` and `after` hold the columns present in the binlog (absent = `undefined`). */
export interface UpdateChange extends RowChangeBase {
  readonly op: 'update';
  readonly before: RowValues;
  readonly after: RowValues;
}

/** A deleted row: `before` holds the columns present in the binlog. */
export interface DeleteChange extends RowChangeBase {
  readonly op: 'delete';
  readonly before: RowValues;
}

/** Tagged on `op`; switch on it exhaustively. */
export type RowChange = InsertChange | UpdateChange | DeleteChange;

/**
 * One upstream transaction. Changes are in upstream order: tables in PrewriteValue order, and within a table the
 * mutation `sequence` order. A sink never sees part of a Txn.
 */
export interface Txn {
  readonly kind: 'txn';
  readonly commitTs: CommitTs;
  readonly startTs: CommitTs;
  readonly schemaVersion: number;
  readonly changes: readonly RowChange[];
  /** Approximate encoded size in bytes (the binlog payload size): what the runner's byte bounds count. */
  readonly bytes: number;
}

/** A DDL statement, applied downstream after every earlier transaction (the DDL barrier). */
export interface DdlEvent {
  readonly kind: 'ddl';
  readonly commitTs: CommitTs;
  readonly schema: string;
  /** Empty for database-level DDL. */
  readonly table?: string;
  readonly query: string;
  readonly jobId: number;
  /** TiDB's ActionType of the job (e.g. 3 = CreateTable). */
  readonly jobType: number;
  readonly schemaVersion: number;
  /** The table definition after the DDL, when it defines one. */
  readonly tableInfo?: TableInfo;
}

/** A watermark: everything with commit ts ≤ `commitTs` has been handed on (or filtered). Lets checkpoints move while idle. */
export interface Resolved {
  readonly kind: 'resolved';
  readonly commitTs: CommitTs;
}

/** What flows from the decoder through filters into the runner, in strictly increasing commit-ts order. */
export type ChangeEvent = Txn | DdlEvent | Resolved;
