import type { CommitTs, DdlEvent, RowChange } from '@tidb-drainer/core/sdk';

/** Key and value bytes of one Kafka message (null key = none, null value = tombstone). */
export interface EncodedMessage {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
}

/**
 * A row-per-message encoding (canal-json, avro, debezium). Pure apart from Avro's schema registration (hence
 * the Promise): the same input gives the same bytes, except wall-clock fields some formats carry (`ts`, `ts_ms`).
 */
export interface RowEncoder {
  readonly name: string;
  encodeRow(ch: RowChange, commitTs: CommitTs, topic: string, signal: AbortSignal): EncodedMessage | Promise<EncodedMessage>;
  /** undefined: the format does not carry DDL (Avro). */
  encodeDdl(ddl: DdlEvent): EncodedMessage | undefined;
  /** undefined: no watermark in this format or configuration. */
  encodeWatermark(commitTs: CommitTs): EncodedMessage | undefined;
  /** The reference sent instead of a row stored by claim-check; undefined when the format has no such form. */
  encodeClaimCheckReference?(ch: RowChange, commitTs: CommitTs, location: string): EncodedMessage;
  /** Where a format routes its DDL by default: TiCDC's canal-json sends DDL to partition 0, others to all. */
  readonly ddlPlacement: 'partition-zero' | 'all-partitions' | 'none';
}
