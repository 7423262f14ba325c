export * from './tipb-types.js';
export * from './pump-types.js';
export {
  decodeTipbBinlog,
  decodePrewriteValue,
  decodeTableMutation,
  encodeTipbBinlog,
  encodePrewriteValue,
  encodeTableMutation,
} from './tipb-codec.js';
export * from './pump-codec.js';
export { pullBinlogRespPayload } from './pull-binlog-payload.js';
export { PumpService, CisternService, asBuffer } from './grpc-services.js';
export type { PumpServiceDefinition, CisternServiceDefinition } from './grpc-services.js';
export { readInt64, readUint64, writeVarint64 } from './varint64.js';
