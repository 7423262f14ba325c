import { ByteWriter } from './byte-writer.js';
import type { PbBinlog, PbBinlogType, PbColumn, PbEvent, PbEventType } from './pb-binlog.js';
import { ProtoReader } from './proto-reader.js';

const VARINT = 0;

/** Writes `column` (spec §8.5: name, tp and mysql_type always; value/changed_value when set). */
export function writeColumn(w: ByteWriter, c: PbColumn): void {
  w.stringField(1, c.name);
  w.tag(2, 2);
  w.byte(1);
  w.byte(c.tp & 0xff);
  w.stringField(3, c.mysqlType);
  if (c.value !== undefined) w.bytesField(4, c.value);
  if (c.changedValue !== undefined) w.bytesField(5, c.changedValue);
}

export function writeEvent(w: ByteWriter, e: PbEvent): void {
  if (e.schemaName !== undefined) w.stringField(1, e.schemaName);
  if (e.tableName !== undefined) w.stringField(2, e.tableName);
  w.tag(3, VARINT);
  w.uvarint(e.tp);
  for (const c of e.row) {
    const at = w.beginLen(4);
    writeColumn(w, c);
    w.endLen(at);
  }
}

/** Writes a `Binlog` message body (not framed). */
export function writeBinlog(w: ByteWriter, b: PbBinlog): void {
  w.tag(1, VARINT);
  w.uvarint(b.tp);
  w.tag(2, VARINT);
  w.uvarint64(b.commitTs);
  if (b.events !== undefined) {
    const dml = w.beginLen(3);
    for (const e of b.events) {
      const at = w.beginLen(1);
      writeEvent(w, e);
      w.endLen(at);
    }
    w.endLen(dml);
  }
  if (b.ddlQuery !== undefined) w.bytesField(4, b.ddlQuery);
}

/** A serialized Binlog message (test and tooling helper). */
export function encodePbBinlog(b: PbBinlog): Buffer {
  const w = new ByteWriter(1024);
  writeBinlog(w, b);
  return w.toBuffer();
}

function readColumn(r: ProtoReader): PbColumn {
  let name = '';
  let tp = 0;
  let mysqlType = '';
  let value: Uint8Array | undefined;
  let changedValue: Uint8Array | undefined;
  while (!r.done) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === 2) name = r.string();
    else if (field === 2 && wire === 2) tp = r.bytes()[0] ?? 0;
    else if (field === 3 && wire === 2) mysqlType = r.string();
    else if (field === 4 && wire === 2) value = r.bytes();
    else if (field === 5 && wire === 2) changedValue = r.bytes();
    else r.skip(wire);
  }
  return {
    name,
    tp,
    mysqlType,
    ...(value === undefined ? {} : { value }),
    ...(changedValue === undefined ? {} : { changedValue }),
  };
}

function readEvent(r: ProtoReader): PbEvent {
  let schemaName: string | undefined;
  let tableName: string | undefined;
  let tp = 0;
  const row: PbColumn[] = [];
  while (!r.done) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === 2) schemaName = r.string();
    else if (field === 2 && wire === 2) tableName = r.string();
    else if (field === 3 && wire === 0) tp = r.uint32();
    else if (field === 4 && wire === 2) row.push(readColumn(r.sub()));
    else r.skip(wire);
  }
  if (tp > 2) r.fail(`unknown pb_binlog EventType ${tp}`);
  return {
    ...(schemaName === undefined ? {} : { schemaName }),
    ...(tableName === undefined ? {} : { tableName }),
    tp: tp as PbEventType,
    row,
  };
}

/** Parses a `Binlog` payload. Malformed protobuf → ProtoDecodeError with the offset inside the payload. */
export function decodePbBinlog(payload: Uint8Array): PbBinlog {
  const r = new ProtoReader(payload);
  let tp = 0;
  let commitTs = 0n;
  let events: PbEvent[] | undefined;
  let ddlQuery: Uint8Array | undefined;
  while (!r.done) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === 0) tp = r.uint32();
    else if (field === 2 && wire === 0) commitTs = r.int64();
    else if (field === 3 && wire === 2) {
      events ??= [];
      const d = r.sub();
      while (!d.done) {
        const [f, w] = d.tag();
        if (f === 1 && w === 2) events.push(readEvent(d.sub()));
        else d.skip(w);
      }
    } else if (field === 4 && wire === 2) ddlQuery = r.bytes();
    else r.skip(wire);
  }
  if (tp > 1) r.fail(`unknown pb_binlog BinlogType ${tp}`);
  return {
    tp: tp as PbBinlogType,
    commitTs,
    ...(events === undefined ? {} : { events }),
    ...(ddlQuery === undefined ? {} : { ddlQuery }),
  };
}

/**
 * The commit ts of a payload without decoding the rest (the writer's recovery scan and the reader's file index).
 * Undefined when the payload does not carry field 2 as a varint.
 */
export function peekCommitTs(payload: Uint8Array): bigint | undefined {
  const r = new ProtoReader(payload);
  try {
    while (!r.done) {
      const [field, wire] = r.tag();
      if (field === 2 && wire === 0) return r.int64();
      r.skip(wire);
    }
  } catch {
    return undefined;
  }
  return undefined;
}
