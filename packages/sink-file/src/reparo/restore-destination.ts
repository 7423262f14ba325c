import type { DdlEvent, Txn } from '@tidb-drainer/core/sdk';

/**
 * Where reparo applies events. `apply` is called in commit-ts order; a destination may batch transactions but must
 * have applied everything before a DDL when `apply(ddl)` resolves, and everything when `flush` resolves.
 */
export interface RestoreDestination {
  /** Called before a DML binlog is converted, with its tables (lets the MySQL destination fetch keys). */
  prepare?(tables: readonly { readonly schema: string; readonly table: string }[], signal: AbortSignal): Promise<void>;
  apply(event: Txn | DdlEvent, signal: AbortSignal): Promise<void>;
  flush(signal: AbortSignal): Promise<void>;
  close(): Promise<void>;
}
