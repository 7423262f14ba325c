import { defineSink } from '@tidb-drainer/core/sdk';
import { fileSinkConfigSchema } from './sink/file-sink-config.js';
import type { FileSinkConfig } from './sink/file-sink-config.js';
import { FileSink } from './sink/file-sink.js';

/** `db-type = "file"` (alias `pb`): the Go drainer's protobuf binlog files (what reparo restores). */
export const fileSink = defineSink<FileSinkConfig>({
  type: 'file',
  aliases: ['pb'],
  description: "Writes the Go drainer's protobuf binlog files (magic, length, pb_binlog, CRC-32C), for reparo",
  configSchema: fileSinkConfigSchema,
  create: (config, env) => new FileSink(config, env),
});

export default fileSink;
export { FileSink } from './sink/file-sink.js';
export type { FileSinkOptions } from './sink/file-sink.js';
export { fileSinkConfigSchema } from './sink/file-sink-config.js';
export type { FileSinkConfig } from './sink/file-sink-config.js';
export { crc32c } from './format/crc32c.js';
export { RECORD_MAGIC, RECORD_HEADER_SIZE, RECORD_OVERHEAD } from './format/record-framing.js';
export { ByteWriter } from './format/byte-writer.js';
export { PbBinlogType, PbEventType } from './format/pb-binlog.js';
export type { PbBinlog, PbEvent, PbColumn } from './format/pb-binlog.js';
export { encodePbBinlog, decodePbBinlog, peekCommitTs } from './format/pb-binlog-codec.js';
export { writeTxnRecord, writeDdlRecord, ddlQueryText } from './format/encode-record.js';
export { binlogFileName, parseBinlogFileName } from './format/binlog-file-name.js';
export { listBinlogFiles, BinlogFileError, BinlogFileErrorCode } from './reader/list-binlog-files.js';
export { scanRecords } from './reader/scan-records.js';
export type { ScanItem, ScanOptions } from './reader/scan-records.js';
export { readBinlogDir, selectFiles } from './reader/read-binlog-dir.js';
export type { DirItem, ReadDirOptions } from './reader/read-binlog-dir.js';
export { PbEventBuilder } from './reparo/pb-to-events.js';
export type { KeyLookup } from './reparo/pb-to-events.js';
export { pbColumnValue } from './reparo/pb-values.js';
export { verifyDir } from './reader/verify-dir.js';
export type { FileSummary, VerifyOptions } from './reader/verify-dir.js';
export { runReparoCli } from './reparo/reparo-cli.js';
export { restore, ddlTarget } from './reparo/restore.js';
export type { RestoreStats, RestoreOptions } from './reparo/restore.js';
export { reparoConfigSchema } from './reparo/reparo-config.js';
export type { ReparoConfig } from './reparo/reparo-config.js';
export { loadReparoConfig, datetimeToTso, resolveRange } from './reparo/load-reparo-config.js';
