export { ByteWriter } from './byte-writer.js';
export { writeDatum } from './datum-encoder.js';
export { writeDecimalBin } from './decimal-encoder.js';
export { encodeJsonBinary } from './json-encoder.js';
export { writeColumnValue, padBinary } from './column-encoder.js';
export {
  encodeOldRow,
  encodeInsertRow,
  encodeUpdateRow,
  encodeDeleteRow,
  writeHandlePrefix,
  needRestoredData,
} from './row-encoder.js';
export type { RowEncodeOptions } from './row-encoder.js';
export { makeTable } from './table-model.js';
export type { ColumnSpec, TableSpec } from './table-model.js';
export { TableMutationBuilder } from './mutation-builder.js';
export { timeValue } from './time-value.js';
