import { WireReader } from '../../proto/wire-reader.js';
import type {
  BinlogType,
  MutationType,
  PbColumn,
  PbColumnInfo,
  PbDdlData,
  PbKey,
  PbRow,
  PbTable,
  PbTableMutation,
  SecondaryBinlog,
} from './secondary-binlog.js';

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Go strings are bytes: keep them as bytes when they are not valid UTF-8. */
function utf8OrBytes(b: Uint8Array): string | Uint8Array {
  try {
    return STRICT_UTF8.decode(b);
  } catch {
    return b;
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function readColumn(r: WireReader): PbColumn {
  const c: Mutable<PbColumn> = {};
  while (!r.done()) {
    const tag = r.varint();
    switch (tag) {
      case (1 << 3) | 0: c.isNull = r.varint() !== 0; break;
      case (2 << 3) | 0: c.int64Value = BigInt.asIntN(64, r.varint64()); break;
      case (3 << 3) | 0: c.uint64Value = r.varint64(); break;
      case (4 << 3) | 1: c.doubleValue = r.double(); break;
      case (5 << 3) | 2: c.bytesValue = r.bytes(); break;
      case (6 << 3) | 2: c.stringValue = utf8OrBytes(r.bytes()); break;
      default: r.skip(tag & 7);
    }
  }
  return c;
}

function readRow(r: WireReader): PbRow {
  const columns: PbColumn[] = [];
  while (!r.done()) {
    const tag = r.varint();
    if (tag === ((1 << 3) | 2)) columns.push(readColumn(r.sub()));
    else r.skip(tag & 7);
  }
  return { columns };
}

function readColumnInfo(r: WireReader): PbColumnInfo {
  let name = '';
  let mysqlType = '';
  let isPrimaryKey = false;
  let flen = 0;
  let decimal = 0;
  while (!r.done()) {
    const tag = r.varint();
    switch (tag) {
      case (1 << 3) | 2: name = r.string(); break;
      case (2 << 3) | 2: mysqlType = r.string(); break;
      case (3 << 3) | 0: isPrimaryKey = r.varint() !== 0; break;
      case (4 << 3) | 0: flen = r.int32(); break;
      case (5 << 3) | 0: decimal = r.int32(); break;
      default: r.skip(tag & 7);
    }
  }
  return { name, mysqlType, isPrimaryKey, flen, decimal };
}

function readMutation(r: WireReader): PbTableMutation {
  let type = 0;
  let row: PbRow = { columns: [] };
  let changeRow: PbRow | undefined;
  while (!r.done()) {
    const tag = r.varint();
    switch (tag) {
      case (1 << 3) | 0: type = r.varint(); break;
      case (2 << 3) | 2: row = readRow(r.sub()); break;
      case (3 << 3) | 2: changeRow = readRow(r.sub()); break;
      default: r.skip(tag & 7);
    }
  }
  const m: PbTableMutation = { type: type as MutationType, row };
  return changeRow === undefined ? m : { ...m, changeRow };
}

function readKey(r: WireReader): PbKey {
  let name: string | undefined;
  const columnNames: string[] = [];
  while (!r.done()) {
    const tag = r.varint();
    if (tag === ((1 << 3) | 2)) name = r.string();
    else if (tag === ((2 << 3) | 2)) columnNames.push(r.string());
    else r.skip(tag & 7);
  }
  return name === undefined ? { columnNames } : { name, columnNames };
}

function readTable(r: WireReader): PbTable {
  const t: Mutable<Partial<PbTable>> = {};
  const columnInfo: PbColumnInfo[] = [];
  const mutations: PbTableMutation[] = [];
  const uniqueKeys: PbKey[] = [];
  while (!r.done()) {
    const tag = r.varint();
    switch (tag) {
      case (1 << 3) | 2: t.schemaName = r.string(); break;
      case (2 << 3) | 2: t.tableName = r.string(); break;
      case (3 << 3) | 2: columnInfo.push(readColumnInfo(r.sub())); break;
      case (4 << 3) | 2: mutations.push(readMutation(r.sub())); break;
      case (5 << 3) | 2: uniqueKeys.push(readKey(r.sub())); break;
      default: r.skip(tag & 7);
    }
  }
  return { ...t, columnInfo, mutations, uniqueKeys };
}

function readDdl(r: WireReader): PbDdlData {
  const d: Mutable<PbDdlData> = {};
  while (!r.done()) {
    const tag = r.varint();
    switch (tag) {
      case (1 << 3) | 2: d.schemaName = r.string(); break;
      case (2 << 3) | 2: d.tableName = r.string(); break;
      case (3 << 3) | 2: d.ddlQuery = r.bytes(); break;
      default: r.skip(tag & 7);
    }
  }
  return d;
}

/** Parses a secondary binlog; throws WireFormatError on malformed bytes. */
export function decodeSecondaryBinlog(bytes: Uint8Array): SecondaryBinlog {
  const r = new WireReader(bytes);
  let type = 0;
  let commitTs = 0n;
  let tables: PbTable[] | undefined;
  let ddlData: PbDdlData | undefined;
  let timeZone: string | undefined;
  while (!r.done()) {
    const tag = r.varint();
    switch (tag) {
      case (1 << 3) | 0: type = r.varint(); break;
      case (2 << 3) | 0: commitTs = BigInt.asIntN(64, r.varint64()); break;
      case (3 << 3) | 2: {
        const sub = r.sub();
        tables ??= [];
        while (!sub.done()) {
          const t = sub.varint();
          if (t === ((1 << 3) | 2)) tables.push(readTable(sub.sub()));
          else sub.skip(t & 7);
        }
        break;
      }
      case (4 << 3) | 2: ddlData = readDdl(r.sub()); break;
      case (5 << 3) | 2: timeZone = r.string(); break;
      default: r.skip(tag & 7);
    }
  }
  const out: Mutable<SecondaryBinlog> = { type: type as BinlogType, commitTs };
  if (tables !== undefined) out.dmlData = { tables };
  if (ddlData !== undefined) out.ddlData = ddlData;
  if (timeZone !== undefined) out.timeZone = timeZone;
  return out;
}
