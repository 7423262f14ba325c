export { BinlogDecoder } from './binlog-decoder.js';
export type { BinlogDecoderOptions } from './binlog-decoder.js';
export { decodeMutation, isDroppedMutation, tableIdOf } from './dml-decoder.js';
export type { MutationContext } from './dml-decoder.js';
export { decoderMetrics } from './decoder-metrics.js';
export type { DecoderMetrics } from './decoder-metrics.js';
