import { DrainerError, ErrorCode } from '../errors/drainer-error.js';

/**
 * A binlog payload from a pump that cannot be decoded. Fatal: the drainer stops and the checkpoint stays before it
 * (the Go drainer does the same — it never skips a binlog). Names the pump and the position (the Entity's commit ts
 * and start ts from its meta, the resume offset of the stream).
 */
export class PumpPayloadError extends DrainerError {
  constructor(details: { readonly pump: string; readonly host: string; readonly commitTs: bigint; readonly startTs: bigint; readonly offset: bigint; readonly payloadBytes: number }, cause: unknown) {
    super(ErrorCode.Decode, `pump ${details.pump} sent a binlog that cannot be decoded (commit ts ${details.commitTs}, start ts ${details.startTs})`, {
      retryable: false,
      cause,
      details,
    });
  }
}

/** The merger was asked for an item after a source failed fatally; carries the source's error as `cause`. */
export class MergerSourceFailedError extends DrainerError {
  constructor(pump: string, cause: unknown) {
    super(cause instanceof DrainerError ? cause.code : ErrorCode.Internal, `pump ${pump} failed: ${cause instanceof Error ? cause.message : String(cause)}`, {
      retryable: false,
      cause,
      details: { pump },
    });
  }
}

/** The pump registry (PD etcd) could not be read, or holds a record we cannot parse. Retryable: the next tick retries. */
export class PumpRegistryError extends DrainerError {
  constructor(message: string, details: Readonly<Record<string, unknown>>, cause?: unknown, retryable = true) {
    super(ErrorCode.PumpUnavailable, message, { retryable, cause, details });
  }
}

/** The PD cluster id could not be determined (no config value, PD GetMembers and the etcd key both failed). */
export class ClusterIdError extends DrainerError {
  constructor(message: string, details: Readonly<Record<string, unknown>>, cause?: unknown) {
    super(ErrorCode.ClusterIdMismatch, message, { retryable: true, cause, details });
  }
}
