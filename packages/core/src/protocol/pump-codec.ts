import type protobuf from 'protobufjs/minimal.js';


import type {
  DumpBinlogReq,
  DumpBinlogResp,
  DumpDdlJobsReq,
  DumpDdlJobsResp,
  Entity,
  EntityMeta,
  PullBinlogReq,
  PullBinlogResp,
  Pos,
  WriteBinlogReq,
  WriteBinlogResp,
} from './pump-types.js';
import {
  WireType,
  expectWireType,
  guardDecode,
  newWriter,
  readBytes,
  readInt64,
  readSubEnd,
  readUint64,
  readerFor,
  skipField,
  writeVarint64,
} from './varint64.js';

type Reader = protobuf.Reader;
type Writer = protobuf.Writer;

/*
 * Static codecs for pump.proto and cistern.proto (proto3). Encoding mirrors gogoproto: zero scalars are omitted,
 * non-nullable sub-messages (startFrom, entity, pos, meta) are always written, even when empty.
 */

const EMPTY = new Uint8Array(0);

function tag(field: number, wt: number): number {
  return (field << 3) | wt;
}

function writeU64(w: Writer, field: number, v: bigint): void {
  if (v === 0n) return;
  w.uint32(tag(field, WireType.Varint));
  writeVarint64(w, v);
}

function writeBytesField(w: Writer, field: number, v: Uint8Array): void {
  if (v.length > 0) w.uint32(tag(field, WireType.LengthDelimited)).bytes(v);
}

function writeSub(w: Writer, field: number, body: (w: Writer) => void): void {
  w.uint32(tag(field, WireType.LengthDelimited)).fork();
  body(w);
  w.ldelim();
}

// --- Pos / Meta / Entity -------------------------------------------------------------------------------------------

function writePos(w: Writer, p: Pos): void {
  writeU64(w, 1, p.suffix);
  writeU64(w, 2, p.offset);
}

function readPos(r: Reader, end: number): Pos {
  const p: Pos = { suffix: 0n, offset: 0n };
  while (r.pos < end) {
    const at = r.pos;
    const t = r.uint32();
    const wt = t & 7;
    switch (t >>> 3) {
      case 1:
        expectWireType(wt, WireType.Varint, 'Pos.suffix', at);
        p.suffix = readUint64(r);
        break;
      case 2:
        expectWireType(wt, WireType.Varint, 'Pos.offset', at);
        p.offset = readInt64(r);
        break;
      default:
        skipField(r, wt);
    }
  }
  return p;
}

function readMeta(r: Reader, end: number): EntityMeta {
  const m: EntityMeta = { startTs: 0n, commitTs: 0n };
  while (r.pos < end) {
    const at = r.pos;
    const t = r.uint32();
    const wt = t & 7;
    switch (t >>> 3) {
      case 1:
        expectWireType(wt, WireType.Varint, 'Meta.startTs', at);
        m.startTs = readInt64(r);
        break;
      case 2:
        expectWireType(wt, WireType.Varint, 'Meta.commitTs', at);
        m.commitTs = readInt64(r);
        break;
      default:
        skipField(r, wt);
    }
  }
  return m;
}

function readEntity(r: Reader, end: number): Entity {
  const e: Entity = { pos: { suffix: 0n, offset: 0n }, payload: EMPTY, checksum: EMPTY, meta: { startTs: 0n, commitTs: 0n } };
  while (r.pos < end) {
    const at = r.pos;
    const t = r.uint32();
    const wt = t & 7;
    switch (t >>> 3) {
      case 1:
        expectWireType(wt, WireType.LengthDelimited, 'Entity.pos', at);
        e.pos = readPos(r, readSubEnd(r, end));
        break;
      case 2:
        expectWireType(wt, WireType.LengthDelimited, 'Entity.payload', at);
        e.payload = readBytes(r, end);
        break;
      case 3:
        expectWireType(wt, WireType.LengthDelimited, 'Entity.checksum', at);
        e.checksum = readBytes(r, end);
        break;
      case 4:
        expectWireType(wt, WireType.LengthDelimited, 'Entity.meta', at);
        e.meta = readMeta(r, readSubEnd(r, end));
        break;
      default:
        skipField(r, wt);
    }
  }
  return e;
}

function writeEntity(w: Writer, e: Entity): void {
  writeSub(w, 1, (w2) => writePos(w2, e.pos));
  writeBytesField(w, 2, e.payload);
  writeBytesField(w, 3, e.checksum);
  writeSub(w, 4, (w2) => {
    writeU64(w2, 1, e.meta.startTs);
    writeU64(w2, 2, e.meta.commitTs);
  });
}

// --- binlog.Pump ---------------------------------------------------------------------------------------------------

export function encodeWriteBinlogReq(m: WriteBinlogReq): Uint8Array {
  const w = newWriter();
  writeU64(w, 1, m.clusterId);
  writeBytesField(w, 2, m.payload);
  return w.finish();
}

export function decodeWriteBinlogReq(bytes: Uint8Array): WriteBinlogReq {
  return guardDecode('binlog.WriteBinlogReq', () => {
    const r = readerFor(bytes);
    const m: WriteBinlogReq = { clusterId: 0n, payload: EMPTY };
    while (r.pos < bytes.length) {
      const at = r.pos;
      const t = r.uint32();
      const wt = t & 7;
      switch (t >>> 3) {
        case 1:
          expectWireType(wt, WireType.Varint, 'WriteBinlogReq.clusterID', at);
          m.clusterId = readUint64(r);
          break;
        case 2:
          expectWireType(wt, WireType.LengthDelimited, 'WriteBinlogReq.payload', at);
          m.payload = readBytes(r, bytes.length);
          break;
        default:
          skipField(r, wt);
      }
    }
    return m;
  });
}

export function encodeWriteBinlogResp(m: WriteBinlogResp): Uint8Array {
  const w = newWriter();
  if (m.errmsg !== '') w.uint32(tag(1, WireType.LengthDelimited)).string(m.errmsg);
  return w.finish();
}

export function decodeWriteBinlogResp(bytes: Uint8Array): WriteBinlogResp {
  return guardDecode('binlog.WriteBinlogResp', () => {
    const r = readerFor(bytes);
    const m: WriteBinlogResp = { errmsg: '' };
    while (r.pos < bytes.length) {
      const at = r.pos;
      const t = r.uint32();
      const wt = t & 7;
      if (t >>> 3 === 1) {
        expectWireType(wt, WireType.LengthDelimited, 'WriteBinlogResp.errmsg', at);
        m.errmsg = r.string();
      } else skipField(r, wt);
    }
    return m;
  });
}

export function encodePullBinlogReq(m: PullBinlogReq): Uint8Array {
  const w = newWriter();
  writeU64(w, 1, m.clusterId);
  writeSub(w, 2, (w2) => writePos(w2, m.startFrom));
  return w.finish();
}

export function decodePullBinlogReq(bytes: Uint8Array): PullBinlogReq {
  return guardDecode('binlog.PullBinlogReq', () => {
    const r = readerFor(bytes);
    const m: PullBinlogReq = { clusterId: 0n, startFrom: { suffix: 0n, offset: 0n } };
    while (r.pos < bytes.length) {
      const at = r.pos;
      const t = r.uint32();
      const wt = t & 7;
      switch (t >>> 3) {
        case 1:
          expectWireType(wt, WireType.Varint, 'PullBinlogReq.clusterID', at);
          m.clusterId = readUint64(r);
          break;
        case 2:
          expectWireType(wt, WireType.LengthDelimited, 'PullBinlogReq.startFrom', at);
          m.startFrom = readPos(r, readSubEnd(r, bytes.length));
          break;
        default:
          skipField(r, wt);
      }
    }
    return m;
  });
}

export function encodePullBinlogResp(m: PullBinlogResp): Uint8Array {
  const w = newWriter();
  writeSub(w, 1, (w2) => writeEntity(w2, m.entity));
  return w.finish();
}

export function decodePullBinlogResp(bytes: Uint8Array): PullBinlogResp {
  return guardDecode('binlog.PullBinlogResp', () => {
    const r = readerFor(bytes);
    let entity: Entity | undefined;
    while (r.pos < bytes.length) {
      const at = r.pos;
      const t = r.uint32();
      const wt = t & 7;
      if (t >>> 3 === 1) {
        expectWireType(wt, WireType.LengthDelimited, 'PullBinlogResp.entity', at);
        entity = readEntity(r, readSubEnd(r, bytes.length));
      } else skipField(r, wt);
    }
    return { entity: entity ?? readEntity(r, 0) };
  });
}

// --- binlog.Cistern ------------------------------------------------------------------------------------------------

function decodeBeginCommitTs(bytes: Uint8Array, what: string): bigint {
  return guardDecode(what, () => {
    const r = readerFor(bytes);
    let ts = 0n;
    while (r.pos < bytes.length) {
      const at = r.pos;
      const t = r.uint32();
      const wt = t & 7;
      if (t >>> 3 === 1) {
        expectWireType(wt, WireType.Varint, `${what}.beginCommitTS`, at);
        ts = readInt64(r);
      } else skipField(r, wt);
    }
    return ts;
  });
}

export function encodeDumpBinlogReq(m: DumpBinlogReq): Uint8Array {
  const w = newWriter();
  writeU64(w, 1, m.beginCommitTs);
  return w.finish();
}

export function decodeDumpBinlogReq(bytes: Uint8Array): DumpBinlogReq {
  return { beginCommitTs: decodeBeginCommitTs(bytes, 'binlog.DumpBinlogReq') };
}

export function encodeDumpBinlogResp(m: DumpBinlogResp): Uint8Array {
  const w = newWriter();
  writeU64(w, 1, m.commitTs);
  writeBytesField(w, 2, m.payload);
  writeBytesField(w, 3, m.ddljob);
  return w.finish();
}

export function decodeDumpBinlogResp(bytes: Uint8Array): DumpBinlogResp {
  return guardDecode('binlog.DumpBinlogResp', () => {
    const r = readerFor(bytes);
    const m: DumpBinlogResp = { commitTs: 0n, payload: EMPTY, ddljob: EMPTY };
    while (r.pos < bytes.length) {
      const at = r.pos;
      const t = r.uint32();
      const wt = t & 7;
      switch (t >>> 3) {
        case 1:
          expectWireType(wt, WireType.Varint, 'DumpBinlogResp.commitTS', at);
          m.commitTs = readInt64(r);
          break;
        case 2:
          expectWireType(wt, WireType.LengthDelimited, 'DumpBinlogResp.payload', at);
          m.payload = readBytes(r, bytes.length);
          break;
        case 3:
          expectWireType(wt, WireType.LengthDelimited, 'DumpBinlogResp.ddljob', at);
          m.ddljob = readBytes(r, bytes.length);
          break;
        default:
          skipField(r, wt);
      }
    }
    return m;
  });
}

export function encodeDumpDdlJobsReq(m: DumpDdlJobsReq): Uint8Array {
  const w = newWriter();
  writeU64(w, 1, m.beginCommitTs);
  return w.finish();
}

export function decodeDumpDdlJobsReq(bytes: Uint8Array): DumpDdlJobsReq {
  return { beginCommitTs: decodeBeginCommitTs(bytes, 'binlog.DumpDDLJobsReq') };
}

export function encodeDumpDdlJobsResp(m: DumpDdlJobsResp): Uint8Array {
  const w = newWriter();
  // Repeated bytes keep empty elements (they are list entries, not absent scalars).
  for (const job of m.ddljobs) w.uint32(tag(1, WireType.LengthDelimited)).bytes(job);
  return w.finish();
}

export function decodeDumpDdlJobsResp(bytes: Uint8Array): DumpDdlJobsResp {
  return guardDecode('binlog.DumpDDLJobsResp', () => {
    const r = readerFor(bytes);
    const m: DumpDdlJobsResp = { ddljobs: [] };
    while (r.pos < bytes.length) {
      const at = r.pos;
      const t = r.uint32();
      const wt = t & 7;
      if (t >>> 3 === 1) {
        expectWireType(wt, WireType.LengthDelimited, 'DumpDDLJobsResp.ddljobs', at);
        m.ddljobs.push(readBytes(r, bytes.length));
      } else skipField(r, wt);
    }
    return m;
  });
}

/** NotifyReq / NotifyResp: no fields; unknown fields are ignored as proto3 requires. */
export function encodeEmpty(): Uint8Array {
  return EMPTY;
}

export function decodeEmpty(_bytes: Uint8Array): Record<string, never> {
  return {};
}
