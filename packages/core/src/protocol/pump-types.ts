/**
 * Messages of the `binlog.Pump` and `binlog.Cistern` gRPC services (proto3; spec tidb-binlog.md §2.1) as typed
 * objects. int64/uint64 are `bigint`; proto3 scalars have no presence (absent = zero value); sub-messages the Go side
 * marks gogoproto non-nullable are always present (and always encoded).
 */

export interface WriteBinlogReq {
  /** Must equal the pump's PD cluster id. */
  clusterId: bigint;
  /** Serialized `binlog.Binlog`. */
  payload: Uint8Array;
}

export interface WriteBinlogResp {
  /** Empty = success. */
  errmsg: string;
}

export interface Pos {
  /** Unused by the v2 drainer and pump. */
  suffix: bigint;
  /** The v2 drainer puts the last received commit ts here; the pump serves commit_ts > offset. */
  offset: bigint;
}

export interface PullBinlogReq {
  clusterId: bigint;
  startFrom: Pos;
}

export interface EntityMeta {
  startTs: bigint;
  commitTs: bigint;
}

export interface Entity {
  /** Left zero by pumps. */
  pos: Pos;
  /** Serialized `binlog.Binlog` (a view into the received buffer). */
  payload: Uint8Array;
  /** Not set by pumps. */
  checksum: Uint8Array;
  meta: EntityMeta;
}

export interface PullBinlogResp {
  entity: Entity;
}

export interface DumpBinlogReq {
  beginCommitTs: bigint;
}

export interface DumpBinlogResp {
  commitTs: bigint;
  payload: Uint8Array;
  ddljob: Uint8Array;
}

export interface DumpDdlJobsReq {
  beginCommitTs: bigint;
}

export interface DumpDdlJobsResp {
  ddljobs: Uint8Array[];
}

/** `binlog.NotifyReq` / `NotifyResp` carry no fields. */
export type NotifyReq = Record<string, never>;
export type NotifyResp = Record<string, never>;
