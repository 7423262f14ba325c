import { WireWriter } from '../../proto/wire-writer.js';
import type { PbColumn, PbRow, PbTable, SecondaryBinlog } from './secondary-binlog.js';

function writeColumn(w: WireWriter, c: PbColumn): void {
  if (c.isNull !== undefined) w.bool(1, c.isNull);
  if (c.int64Value !== undefined) w.int64(2, c.int64Value);
  if (c.uint64Value !== undefined) w.int64(3, c.uint64Value);
  if (c.doubleValue !== undefined) w.double(4, c.doubleValue);
  if (c.bytesValue !== undefined) w.bytes(5, c.bytesValue);
  if (c.stringValue !== undefined) {
    if (typeof c.stringValue === 'string') w.string(6, c.stringValue);
    else w.bytes(6, c.stringValue);
  }
}

function writeRow(w: WireWriter, field: number, row: PbRow): void {
  w.fork(field);
  for (const c of row.columns) {
    w.fork(1);
    writeColumn(w, c);
    w.join();
  }
  w.join();
}

function writeTable(w: WireWriter, t: PbTable): void {
  if (t.schemaName !== undefined) w.string(1, t.schemaName);
  if (t.tableName !== undefined) w.string(2, t.tableName);
  for (const ci of t.columnInfo) {
    // gogoproto non-nullable fields: always on the wire, zero values included.
    w.fork(3).string(1, ci.name).string(2, ci.mysqlType).bool(3, ci.isPrimaryKey).int32(4, ci.flen).int32(5, ci.decimal).join();
  }
  for (const m of t.mutations) {
    w.fork(4).tag(1, 0).varint(m.type);
    writeRow(w, 2, m.row);
    if (m.changeRow !== undefined) writeRow(w, 3, m.changeRow);
    w.join();
  }
  for (const k of t.uniqueKeys) {
    w.fork(5);
    if (k.name !== undefined) w.string(1, k.name);
    for (const n of k.columnNames) w.string(2, n);
    w.join();
  }
}

/** Serialises a secondary binlog exactly as the Go drainer's gogoproto marshaler does (fields by number). */
export function encodeSecondaryBinlog(b: SecondaryBinlog): Buffer {
  const w = new WireWriter();
  w.tag(1, 0).varint(b.type);
  w.int64(2, b.commitTs);
  if (b.dmlData !== undefined) {
    w.fork(3);
    for (const t of b.dmlData.tables) {
      w.fork(1);
      writeTable(w, t);
      w.join();
    }
    w.join();
  }
  if (b.ddlData !== undefined) {
    const d = b.ddlData;
    w.fork(4);
    if (d.schemaName !== undefined) w.string(1, d.schemaName);
    if (d.tableName !== undefined) w.string(2, d.tableName);
    if (d.ddlQuery !== undefined) w.bytes(3, d.ddlQuery);
    w.join();
  }
  if (b.timeZone !== undefined) w.string(5, b.timeZone);
  return w.finish();
}
