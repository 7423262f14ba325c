import type { ColumnInfo, DdlEvent, RowValues, TableInfo, Txn } from '@tidb-drainer/core/sdk';
import { ByteWriter } from './byte-writer.js';
import { writeDatumValue } from './datum-value.js';
import { PbBinlogType, PbEventType } from './pb-binlog.js';
import { typeToStr } from './type-to-str.js';

/** Typical length-varint sizes (rows of 128 B–16 KiB, transactions of 16 KiB–2 MiB): a right guess avoids a copy. */
const EVENT_LEN_GUESS = 2;
const DML_LEN_GUESS = 3;

/**
 * Cached per TableInfo object (shared per table version): each column's encoded name, tp and mysql_type fields,
 * which are the same in every row.
 */
const columnHeads = new WeakMap<TableInfo, readonly Buffer[]>();

function columnHeadsOf(t: TableInfo): readonly Buffer[] {
  let heads = columnHeads.get(t);
  if (heads === undefined) columnHeads.set(t, (heads = t.columns.map(encodeColumnHead)));
  return heads;
}

function encodeColumnHead(col: ColumnInfo): Buffer {
  const w = new ByteWriter(64);
  w.stringField(1, col.name);
  w.tag(2, 2);
  w.byte(1);
  w.byte(col.type & 0xff);
  w.stringField(3, typeToStr(col));
  return w.toBuffer();
}

function writeRow(
  w: ByteWriter,
  t: TableInfo,
  before: RowValues | undefined,
  after: RowValues | undefined,
  zone: string,
): void {
  const heads = columnHeadsOf(t);
  const main = before ?? after;
  if (main === undefined) return;
  const cols = t.columns;
  for (let i = 0; i < cols.length; i++) {
    const col = cols[i]!;
    const v = main[i];
    // Insert: every column (missing → NULL; the decoder already filled defaults). Update: columns present in the
    // new row. Delete: columns present in the old row.
    if (before !== undefined && after !== undefined ? after[i] === undefined : before !== undefined && v === undefined)
      continue;
    const at = w.beginLen(4);
    w.raw(heads[i]!);
    const vs = w.beginLen(4);
    writeDatumValue(w, col, v ?? null, zone);
    w.endLen(vs);
    if (before !== undefined && after !== undefined) {
      const cs = w.beginLen(5);
      writeDatumValue(w, col, after[i] ?? null, zone);
      w.endLen(cs);
    }
    w.endLen(at);
  }
}

/**
 * Appends one framed record holding the `pb_binlog.Binlog` of a transaction (spec §8.5): one Event per row change
 * in order, all tables flattened.
 */
export function writeTxnRecord(w: ByteWriter, txn: Txn, zone: string): void {
  const start = w.beginRecord();
  w.tag(1, 0);
  w.uvarint(PbBinlogType.DML);
  w.tag(2, 0);
  w.uvarint64(txn.commitTs);
  const dml = w.beginLen(3, DML_LEN_GUESS);
  for (const c of txn.changes) {
    const ev = w.beginLen(1, EVENT_LEN_GUESS);
    w.stringField(1, c.schema);
    w.stringField(2, c.table);
    w.tag(3, 0);
    switch (c.op) {
      case 'insert':
        w.uvarint(PbEventType.Insert);
        writeRow(w, c.tableInfo, undefined, c.after, zone);
        break;
      case 'update':
        w.uvarint(PbEventType.Update);
        writeRow(w, c.tableInfo, c.before, c.after, zone);
        break;
      case 'delete':
        w.uvarint(PbEventType.Delete);
        writeRow(w, c.tableInfo, c.before, undefined, zone);
        break;
      default:
        assertNever(c);
    }
    w.endLen(ev, EVENT_LEN_GUESS);
  }
  w.endLen(dml, DML_LEN_GUESS);
  w.endRecord(start);
}

const CREATE_DATABASE = /^\s*create\s+(database|schema)\b/i;

/** `use \`db\`; <query>;`, or `<query>;` for CREATE DATABASE, or the raw query when the schema is empty. */
export function ddlQueryText(ddl: Pick<DdlEvent, 'schema' | 'query'>): string {
  if (ddl.schema === '') return ddl.query;
  if (CREATE_DATABASE.test(ddl.query)) return `${ddl.query};`;
  return `use \`${ddl.schema.replaceAll('`', '``')}\`; ${ddl.query};`;
}

export function writeDdlRecord(w: ByteWriter, ddl: DdlEvent): void {
  const start = w.beginRecord();
  w.tag(1, 0);
  w.uvarint(PbBinlogType.DDL);
  w.tag(2, 0);
  w.uvarint64(ddl.commitTs);
  w.stringField(4, ddlQueryText(ddl));
  w.endRecord(start);
}

function assertNever(x: never): never {
  throw new TypeError(`unexpected row change ${JSON.stringify(x)}`);
}
