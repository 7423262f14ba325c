/** `@tidb-drainer/sink-kafka/reader`: read the drainer's binlog-pb topic from TypeScript, as tidb-tools' Go reader does. */
export { BinlogReader } from './binlog-reader.js';
export type { BinlogReaderConfig, BinlogMessage } from './binlog-reader.js';
export { findOffsetByTs } from './find-offset-by-ts.js';
export { decodeSecondaryBinlog } from '../encodings/binlog-pb/decode-secondary-binlog.js';
export * from '../encodings/binlog-pb/secondary-binlog.js';
