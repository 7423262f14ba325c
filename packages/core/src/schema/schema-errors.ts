import { DrainerError, ErrorCode } from '../errors/drainer-error.js';

/** Error codes of the schema layer (in addition to the shared `ErrorCode`s it also raises). */
export const SchemaErrorCode = {
  /** A TiDB JSON document (job, table info, schema file) does not have the shape TiDB writes. */
  InvalidJson: 'E_SCHEMA_INVALID_JSON',
  /** Replaying the DDL history contradicts itself (duplicate id, replacing a table that does not exist, …). */
  Inconsistent: 'E_SCHEMA_INCONSISTENT',
  /** The TiDB status API answered with an error or could not be reached. */
  StatusApi: 'E_TIDB_STATUS_API',
} as const;

/** A TiDB JSON value is malformed; `path` names the field (e.g. `binlog.TableInfo.cols[3].type.Tp`). */
export class SchemaJsonError extends DrainerError {
  constructor(message: string, details: { readonly path: string; readonly jobId?: number; readonly file?: string }) {
    super(SchemaErrorCode.InvalidJson, message, { retryable: false, details });
  }
}

/** Applying a DDL job to the tracked schema failed: the history is not what TiDB would have produced. */
export class SchemaInconsistentError extends DrainerError {
  constructor(
    message: string,
    details: {
      readonly jobId?: number;
      readonly schemaVersion?: number;
      readonly tableId?: number;
      readonly schemaId?: number;
    },
  ) {
    super(SchemaErrorCode.Inconsistent, message, { retryable: false, details });
  }
}

/**
 * A DML binlog touches a table id the schema does not know (Go drainer: "not found table id"). Not retryable: the
 * drainer stops and the checkpoint stays before `commitTs`.
 */
export class TableNotFoundError extends DrainerError {
  constructor(details: { readonly commitTs: bigint; readonly tableId: number; readonly schemaVersion?: number }) {
    super(ErrorCode.SchemaMissing, `not found table id: ${details.tableId} (commit ts ${details.commitTs})`, {
      retryable: false,
      details,
    });
  }
}

/** A DDL job could not be read from TiDB (network, HTTP status, TiDB error). Retryable: TiDB may come back. */
export class StatusApiError extends DrainerError {
  constructor(message: string, details: { readonly url: string; readonly status?: number }, cause?: unknown) {
    super(SchemaErrorCode.StatusApi, message, { retryable: true, details, cause });
  }
}

/** A DDL binlog's job never showed up in TiDB's history before the wait was given up (only with a deadline). */
export class DdlJobMissingError extends DrainerError {
  constructor(details: { readonly jobId: number; readonly commitTs?: bigint }) {
    super(ErrorCode.DdlJobMissing, `DDL job ${details.jobId} not found in TiDB's history`, {
      retryable: true,
      details,
    });
  }
}
