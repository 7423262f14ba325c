import { fileURLToPath } from 'node:url';

import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';

import {
  decodeDumpDdlJobsResp,
  decodePullBinlogReq,
  decodePullBinlogResp,
  decodeWriteBinlogReq,
  encodeDumpBinlogResp,
  encodeDumpDdlJobsResp,
  encodePullBinlogReq,
  encodePullBinlogResp,
  encodeWriteBinlogReq,
} from './pump-codec.js';
import { pullBinlogRespPayload } from './pull-binlog-payload.js';
import { DecodeError } from '../errors/drainer-error.js';

const root = protobuf.loadSync([
  fileURLToPath(new URL('../../proto/pump.proto', import.meta.url)),
  fileURLToPath(new URL('../../proto/cistern.proto', import.meta.url)),
]);
const opts = { longs: String, bytes: Array, defaults: false } as const;
const tso = 434271871498256385n;

describe('pump / cistern codecs', () => {
  it('PullBinlogReq: the v2 drainer request, startFrom always encoded (gogoproto non-nullable)', () => {
    const bytes = encodePullBinlogReq({ clusterId: 6_800_000_000_000_000_001n, startFrom: { suffix: 0n, offset: tso } });
    const ref = root.lookupType('binlog.PullBinlogReq');
    expect(ref.toObject(ref.decode(bytes), opts)).toEqual({ clusterID: '6800000000000000001', startFrom: { offset: tso.toString() } });
    expect(decodePullBinlogReq(bytes)).toEqual({ clusterId: 6_800_000_000_000_000_001n, startFrom: { suffix: 0n, offset: tso } });
    // Zero offset: the empty Pos is still on the wire (field 2, length 0).
    expect([...encodePullBinlogReq({ clusterId: 1n, startFrom: { suffix: 0n, offset: 0n } })]).toEqual([0x08, 0x01, 0x12, 0x00]);
  });

  it('PullBinlogResp / Entity agree with reflection both ways', () => {
    const entity = { pos: { suffix: 0n, offset: 0n }, payload: Uint8Array.from([1, 2, 3]), checksum: new Uint8Array(0), meta: { startTs: tso - 5n, commitTs: tso } };
    const bytes = encodePullBinlogResp({ entity });
    const ref = root.lookupType('binlog.PullBinlogResp');
    expect(ref.toObject(ref.decode(bytes), opts)).toEqual({ entity: { pos: {}, payload: [1, 2, 3], meta: { startTs: (tso - 5n).toString(), commitTs: tso.toString() } } });
    const refBytes = ref.encode(ref.fromObject({ entity: { payload: [9], meta: { startTs: '7', commitTs: tso.toString() } } })).finish();
    const back = decodePullBinlogResp(refBytes);
    expect([...back.entity.payload]).toEqual([9]);
    expect(back.entity.meta).toEqual({ startTs: 7n, commitTs: tso });
  });

  it('WriteBinlogReq, DumpBinlogResp and DumpDDLJobsResp agree with reflection', () => {
    const w = encodeWriteBinlogReq({ clusterId: 42n, payload: Uint8Array.from([5, 6]) });
    const refW = root.lookupType('binlog.WriteBinlogReq');
    expect(refW.toObject(refW.decode(w), opts)).toEqual({ clusterID: '42', payload: [5, 6] });
    expect(decodeWriteBinlogReq(w).clusterId).toBe(42n);
    const refD = root.lookupType('binlog.DumpBinlogResp');
    expect(refD.toObject(refD.decode(encodeDumpBinlogResp({ commitTs: tso, payload: Uint8Array.from([1]), ddljob: new Uint8Array(0) })), opts)).toEqual({ commitTS: tso.toString(), payload: [1] });
    const jobs = encodeDumpDdlJobsResp({ ddljobs: [Uint8Array.from([1]), new Uint8Array(0)] });
    expect(decodeDumpDdlJobsResp(jobs).ddljobs.map((j) => [...j])).toEqual([[1], []]);
  });

  it('finds the payload of a PullBinlogResp without the envelope objects, like the full decoder', () => {
    for (const len of [0, 1, 127, 128, 300, 70_000]) {
      const payload = Uint8Array.from({ length: len }, (_, i) => (i * 7) & 0xff);
      const bytes = encodePullBinlogResp({ entity: { pos: { suffix: 3n, offset: tso }, payload, checksum: Uint8Array.from([1]), meta: { startTs: 1n, commitTs: tso } } });
      expect([...pullBinlogRespPayload(bytes)]).toEqual([...decodePullBinlogResp(bytes).entity.payload]);
    }
    const good = encodePullBinlogResp({ entity: { pos: { suffix: 0n, offset: 0n }, payload: Uint8Array.from([1, 2, 3, 4, 5]), checksum: new Uint8Array(0), meta: { startTs: 1n, commitTs: 2n } } });
    for (let cut = 1; cut < good.length; cut++) {
      let threw: unknown;
      try {
        pullBinlogRespPayload(good.subarray(0, cut));
      } catch (err) {
        threw = err;
      }
      // Every strict prefix either fails cleanly or (when cut at a field boundary) yields a shorter-or-equal view.
      if (threw !== undefined) expect(threw).toBeInstanceOf(DecodeError);
    }
    expect(() => pullBinlogRespPayload(Uint8Array.from([0x0a, 0x05, 0x12, 0x09, 0x01]))).toThrow(DecodeError);
  });
});
