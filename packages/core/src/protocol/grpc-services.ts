import type { MethodDefinition, ServiceDefinition } from '@grpc/grpc-js';

import {
  decodeDumpBinlogReq,
  decodeDumpBinlogResp,
  decodeDumpDdlJobsReq,
  decodeDumpDdlJobsResp,
  decodeEmpty,
  decodePullBinlogReq,
  decodePullBinlogResp,
  decodeWriteBinlogReq,
  decodeWriteBinlogResp,
  encodeDumpBinlogReq,
  encodeDumpBinlogResp,
  encodeDumpDdlJobsReq,
  encodeDumpDdlJobsResp,
  encodeEmpty,
  encodePullBinlogReq,
  encodePullBinlogResp,
  encodeWriteBinlogReq,
  encodeWriteBinlogResp,
} from './pump-codec.js';
import type {
  DumpBinlogReq,
  DumpBinlogResp,
  DumpDdlJobsReq,
  DumpDdlJobsResp,
  NotifyReq,
  NotifyResp,
  PullBinlogReq,
  PullBinlogResp,
  WriteBinlogReq,
  WriteBinlogResp,
} from './pump-types.js';

/** grpc-js wants Buffers from serializers; protobufjs already returns one under Node, so this rarely copies. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function method<Req, Res>(
  path: string,
  responseStream: boolean,
  encReq: (m: Req) => Uint8Array,
  decReq: (b: Uint8Array) => Req,
  encRes: (m: Res) => Uint8Array,
  decRes: (b: Uint8Array) => Res,
): MethodDefinition<Req, Res> {
  return {
    path,
    requestStream: false,
    responseStream,
    requestSerialize: (m: Req) => asBuffer(encReq(m)),
    requestDeserialize: decReq,
    responseSerialize: (m: Res) => asBuffer(encRes(m)),
    responseDeserialize: decRes,
  };
}

/** Method definitions of `binlog.Pump`. */
export interface PumpServiceDefinition extends ServiceDefinition {
  writeBinlog: MethodDefinition<WriteBinlogReq, WriteBinlogResp>;
  pullBinlogs: MethodDefinition<PullBinlogReq, PullBinlogResp>;
}

/**
 * `binlog.Pump` (tidb-binlog.md §2.1) for `server.addService` and `makeGenericClientConstructor`. The PullBinlogs
 * response deserializer decodes only the Entity envelope; the Binlog payload is decoded by `PumpStream`, which knows
 * the pump and position to name when it fails.
 */
export const PumpService: PumpServiceDefinition = {
  writeBinlog: method('/binlog.Pump/WriteBinlog', false, encodeWriteBinlogReq, decodeWriteBinlogReq, encodeWriteBinlogResp, decodeWriteBinlogResp),
  pullBinlogs: method('/binlog.Pump/PullBinlogs', true, encodePullBinlogReq, decodePullBinlogReq, encodePullBinlogResp, decodePullBinlogResp),
};

/** Method definitions of `binlog.Cistern` (served by the drainer). */
export interface CisternServiceDefinition extends ServiceDefinition {
  dumpBinlog: MethodDefinition<DumpBinlogReq, DumpBinlogResp>;
  dumpDDLJobs: MethodDefinition<DumpDdlJobsReq, DumpDdlJobsResp>;
  notify: MethodDefinition<NotifyReq, NotifyResp>;
}

/** `binlog.Cistern` (tidb-binlog.md §2.1). Only Notify does anything in the Go drainer. */
export const CisternService: CisternServiceDefinition = {
  dumpBinlog: method('/binlog.Cistern/DumpBinlog', true, encodeDumpBinlogReq, decodeDumpBinlogReq, encodeDumpBinlogResp, decodeDumpBinlogResp),
  dumpDDLJobs: method('/binlog.Cistern/DumpDDLJobs', false, encodeDumpDdlJobsReq, decodeDumpDdlJobsReq, encodeDumpDdlJobsResp, decodeDumpDdlJobsResp),
  notify: method<NotifyReq, NotifyResp>('/binlog.Cistern/Notify', false, encodeEmpty, decodeEmpty, encodeEmpty, decodeEmpty),
};
