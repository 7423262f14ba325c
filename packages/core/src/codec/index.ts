/**
 * Public codec entry point (`@tidb-drainer/core/codec`): the TiDB row decoder, datum reader, and the rendering /
 * default-value helpers sinks and the schema tracker use. Re-exports the model for convenience.
 */
export * from '../model/index.js';
export { DatumFlag } from './datum-flag.js';
export { DatumCursor } from './datum-cursor.js';
export { readDatum, skipDatum, decodeDatum } from './datum.js';
export type { Datum } from './datum.js';
export { readColumnValue, enumValue } from './column-value.js';
export type { ColumnPlan } from './column-value.js';
export { ValueKind, valueKindOf, columnFsp, isUnsignedColumn, isBinaryStringColumn } from './value-kind.js';
export { tablePlan, columnPlanById } from './table-plan.js';
export type { TablePlan } from './table-plan.js';
export { decodeInsertRow, decodeUpdateRow, decodeDeleteRow, EXTRA_HANDLE_ID } from './row-decoder.js';
export type { RowDecodeContext, DecodedUpdate } from './row-decoder.js';
export { defaultOrZeroValue, zeroValue } from './default-value.js';
export { decimalBinSize, DIG2BYTES, MAX_DECIMAL_FRAC, MAX_DECIMAL_PRECISION } from './my-decimal.js';
export { packTime, unpackTime } from './packed-time.js';
export { JsonType, readJson } from './json-binary.js';
export { formatJsonNode, quoteJsonString, compareUtf8, isJsonArray } from './json-text.js';
export { decodeUtf8, encodeUtf8 } from './utf8.js';
export { parseJsonText } from './json-parse.js';
export { parseColumnDefault, parseTimeText, parseDurationText } from './default-parse.js';
export {
  formatTime,
  formatDuration,
  formatDecimal,
  formatJson,
  formatEnum,
  formatSet,
  formatFloat32,
  formatDouble,
  formatMysqlText,
} from './render.js';
export type { FormatOptions } from './render.js';
export { timestampToZone, timestampFromZone, offsetMinutesAt } from './timestamp-zone.js';
export { DecodeError } from '../errors/drainer-error.js';
