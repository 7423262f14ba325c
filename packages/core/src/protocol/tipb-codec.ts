import type protobuf from 'protobufjs/minimal.js';

import type { BinlogType, MutationType, PrewriteValue, TableMutation, TipbBinlog } from './tipb-types.js';
import {
  ReusableReader,
  WireType,
  decodeFailure,
  expectWireType,
  guardDecode,
  newWriter,
  readBytes,
  readInt64,
  readSubEnd,
  readerFor,
  skipField,
  writeVarint64,
} from './varint64.js';

type Reader = protobuf.Reader;
type Writer = protobuf.Writer;

/*
 * Hand-written static codecs for binlog.proto (proto2) on protobufjs' Reader/Writer. This is the hot path (every
 * binlog pulled from every pump), so: int64 goes straight to bigint (no Long), bytes are views, no reflection.
 * Field numbers and wire types are those of proto/binlog.proto; the reflection cross-check lives in the tests.
 */

/** Decodes a serialized `binlog.Binlog`. Throws `DecodeError` on malformed input. */
export function decodeTipbBinlog(bytes: Uint8Array): TipbBinlog {
  try {
    return readBinlog(binlogReader.over(bytes), bytes.length);
  } catch (err) {
    throw decodeFailure('binlog.Binlog', err);
  } finally {
    binlogReader.release();
  }
}

const binlogReader = new ReusableReader();
const prewriteReader = new ReusableReader();

function readBinlog(r: Reader, end: number): TipbBinlog {
  // Every property present from the start (absent ones as undefined): one object shape for all binlogs keeps the
  // consumers' property accesses monomorphic.
  const out: TipbBinlog = { tp: 0, startTs: 0n, commitTs: 0n, prewriteKey: undefined, prewriteValue: undefined, ddlQuery: undefined, ddlJobId: 0n, ddlSchemaState: 0 };
  while (r.pos < end) {
    const at = r.pos;
    const tag = r.uint32();
    const wt = tag & 7;
    switch (tag >>> 3) {
      case 1:
        expectWireType(wt, WireType.Varint, 'Binlog.tp', at);
        out.tp = r.int32() as BinlogType;
        break;
      case 2:
        expectWireType(wt, WireType.Varint, 'Binlog.start_ts', at);
        out.startTs = readInt64(r);
        break;
      case 3:
        expectWireType(wt, WireType.Varint, 'Binlog.commit_ts', at);
        out.commitTs = readInt64(r);
        break;
      case 4:
        expectWireType(wt, WireType.LengthDelimited, 'Binlog.prewrite_key', at);
        out.prewriteKey = readBytes(r, end);
        break;
      case 5:
        expectWireType(wt, WireType.LengthDelimited, 'Binlog.prewrite_value', at);
        out.prewriteValue = readBytes(r, end);
        break;
      case 6:
        expectWireType(wt, WireType.LengthDelimited, 'Binlog.ddl_query', at);
        out.ddlQuery = readBytes(r, end);
        break;
      case 7:
        expectWireType(wt, WireType.Varint, 'Binlog.ddl_job_id', at);
        out.ddlJobId = readInt64(r);
        break;
      case 8:
        expectWireType(wt, WireType.Varint, 'Binlog.ddl_schema_state', at);
        out.ddlSchemaState = r.int32();
        break;
      default:
        skipField(r, wt);
    }
  }
  return out;
}

/** Decodes a serialized `binlog.PrewriteValue` (the Binlog's `prewriteValue`). Throws `DecodeError`. */
export function decodePrewriteValue(bytes: Uint8Array): PrewriteValue {
  try {
    const r = prewriteReader.over(bytes);
    const end = bytes.length;
    const out: PrewriteValue = { schemaVersion: 0n, mutations: [] };
    while (r.pos < end) {
      const at = r.pos;
      const tag = r.uint32();
      const wt = tag & 7;
      switch (tag >>> 3) {
        case 1:
          expectWireType(wt, WireType.Varint, 'PrewriteValue.schema_version', at);
          out.schemaVersion = readInt64(r);
          break;
        case 2:
          expectWireType(wt, WireType.LengthDelimited, 'PrewriteValue.mutations', at);
          out.mutations.push(readTableMutation(r, readSubEnd(r, end)));
          break;
        default:
          skipField(r, wt);
      }
    }
    return out;
  } catch (err) {
    throw decodeFailure('binlog.PrewriteValue', err);
  } finally {
    prewriteReader.release();
  }
}

/** Decodes a serialized `binlog.TableMutation` on its own. Throws `DecodeError`. */
export function decodeTableMutation(bytes: Uint8Array): TableMutation {
  return guardDecode('binlog.TableMutation', () => readTableMutation(readerFor(bytes), bytes.length));
}

function readTableMutation(r: Reader, end: number): TableMutation {
  const m: TableMutation = {
    tableId: 0n,
    insertedRows: [],
    updatedRows: [],
    deletedIds: [],
    deletedPks: [],
    deletedRows: [],
    sequence: [],
  };
  while (r.pos < end) {
    const at = r.pos;
    const tag = r.uint32();
    const wt = tag & 7;
    switch (tag >>> 3) {
      case 1:
        expectWireType(wt, WireType.Varint, 'TableMutation.table_id', at);
        m.tableId = readInt64(r);
        break;
      case 2:
        expectWireType(wt, WireType.LengthDelimited, 'TableMutation.inserted_rows', at);
        m.insertedRows.push(readBytes(r, end));
        break;
      case 3:
        expectWireType(wt, WireType.LengthDelimited, 'TableMutation.updated_rows', at);
        m.updatedRows.push(readBytes(r, end));
        break;
      case 4:
        // proto2 repeated scalars are unpacked by default, but a parser must accept the packed form too.
        if (wt === WireType.LengthDelimited) {
          const subEnd = readSubEnd(r, end);
          while (r.pos < subEnd) m.deletedIds.push(readInt64(r));
        } else {
          expectWireType(wt, WireType.Varint, 'TableMutation.deleted_ids', at);
          m.deletedIds.push(readInt64(r));
        }
        break;
      case 5:
        expectWireType(wt, WireType.LengthDelimited, 'TableMutation.deleted_pks', at);
        m.deletedPks.push(readBytes(r, end));
        break;
      case 6:
        expectWireType(wt, WireType.LengthDelimited, 'TableMutation.deleted_rows', at);
        m.deletedRows.push(readBytes(r, end));
        break;
      case 7:
        if (wt === WireType.LengthDelimited) {
          const subEnd = readSubEnd(r, end);
          while (r.pos < subEnd) m.sequence.push(r.int32() as MutationType);
        } else {
          expectWireType(wt, WireType.Varint, 'TableMutation.sequence', at);
          m.sequence.push(r.int32() as MutationType);
        }
        break;
      default:
        skipField(r, wt);
    }
  }
  return m;
}

/**
 * Encodes a `binlog.Binlog` the way the Go (gogoproto) marshaller does: fields in number order, the non-nullable
 * ones (tp, start_ts, commit_ts, ddl_job_id, ddl_schema_state) always, optional bytes only when present.
 */
export function encodeTipbBinlog(b: TipbBinlog): Uint8Array {
  return writeBinlog(newWriter(), b).finish();
}

function writeBinlog(w: Writer, b: TipbBinlog): Writer {
  w.uint32((1 << 3) | WireType.Varint).int32(b.tp);
  w.uint32((2 << 3) | WireType.Varint);
  writeVarint64(w, b.startTs);
  w.uint32((3 << 3) | WireType.Varint);
  writeVarint64(w, b.commitTs);
  if (b.prewriteKey !== undefined) w.uint32((4 << 3) | WireType.LengthDelimited).bytes(b.prewriteKey);
  if (b.prewriteValue !== undefined) w.uint32((5 << 3) | WireType.LengthDelimited).bytes(b.prewriteValue);
  if (b.ddlQuery !== undefined) w.uint32((6 << 3) | WireType.LengthDelimited).bytes(b.ddlQuery);
  w.uint32((7 << 3) | WireType.Varint);
  writeVarint64(w, b.ddlJobId);
  w.uint32((8 << 3) | WireType.Varint).int32(b.ddlSchemaState);
  return w;
}

/** Encodes a `binlog.PrewriteValue` (schema_version always; one embedded TableMutation per element). */
export function encodePrewriteValue(v: PrewriteValue): Uint8Array {
  const w = newWriter();
  w.uint32((1 << 3) | WireType.Varint);
  writeVarint64(w, v.schemaVersion);
  for (const m of v.mutations) {
    w.uint32((2 << 3) | WireType.LengthDelimited).fork();
    writeTableMutation(w, m);
    w.ldelim();
  }
  return w.finish();
}

/** Encodes a `binlog.TableMutation` on its own (repeated scalars unpacked, as proto2 and gogoproto do). */
export function encodeTableMutation(m: TableMutation): Uint8Array {
  return writeTableMutation(newWriter(), m).finish();
}

function writeTableMutation(w: Writer, m: TableMutation): Writer {
  w.uint32((1 << 3) | WireType.Varint);
  writeVarint64(w, m.tableId);
  for (const row of m.insertedRows) w.uint32((2 << 3) | WireType.LengthDelimited).bytes(row);
  for (const row of m.updatedRows) w.uint32((3 << 3) | WireType.LengthDelimited).bytes(row);
  for (const id of m.deletedIds) {
    w.uint32((4 << 3) | WireType.Varint);
    writeVarint64(w, id);
  }
  for (const pk of m.deletedPks) w.uint32((5 << 3) | WireType.LengthDelimited).bytes(pk);
  for (const row of m.deletedRows) w.uint32((6 << 3) | WireType.LengthDelimited).bytes(row);
  for (const t of m.sequence) w.uint32((7 << 3) | WireType.Varint).int32(t);
  return w;
}
