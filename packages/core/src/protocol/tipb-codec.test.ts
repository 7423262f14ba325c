import { fileURLToPath } from 'node:url';

import fc from 'fast-check';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';

import { DecodeError } from '../errors/drainer-error.js';
import { decodePrewriteValue, decodeTipbBinlog, encodePrewriteValue, encodeTipbBinlog } from './tipb-codec.js';
import type { PrewriteValue, TableMutation, TipbBinlog } from './tipb-types.js';

// Reflection over our own .proto text is the independent reference for the hand-written static codec.
const root = protobuf.loadSync(fileURLToPath(new URL('../../proto/binlog.proto', import.meta.url)));
const RefBinlog = root.lookupType('binlog.Binlog');
const RefPrewrite = root.lookupType('binlog.PrewriteValue');
const toObj = { longs: String, bytes: Array, defaults: false } as const;

const i64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
const tso = fc.bigInt({ min: 0n, max: 2n ** 63n - 1n });
const bytes = fc.uint8Array({ maxLength: 40 });

const binlogArb: fc.Arbitrary<TipbBinlog> = fc.record(
  {
    tp: fc.constantFrom(0, 1, 2, 3, 4),
    startTs: tso,
    commitTs: tso,
    prewriteKey: bytes,
    prewriteValue: bytes,
    ddlQuery: bytes,
    ddlJobId: i64,
    ddlSchemaState: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  },
  { requiredKeys: ['tp', 'startTs', 'commitTs', 'ddlJobId', 'ddlSchemaState'] },
);

const mutationArb: fc.Arbitrary<TableMutation> = fc.record({
  tableId: i64,
  insertedRows: fc.array(bytes, { maxLength: 4 }),
  updatedRows: fc.array(bytes, { maxLength: 4 }),
  deletedIds: fc.array(i64, { maxLength: 3 }),
  deletedPks: fc.array(bytes, { maxLength: 3 }),
  deletedRows: fc.array(bytes, { maxLength: 4 }),
  sequence: fc.array(fc.constantFrom(0, 1, 2, 3, 4) as fc.Arbitrary<TableMutation['sequence'][number]>, { maxLength: 8 }),
});
const prewriteArb: fc.Arbitrary<PrewriteValue> = fc.record({ schemaVersion: i64, mutations: fc.array(mutationArb, { maxLength: 4 }) });

/** Our object in the shape protobufjs' toObject produces (snake→camel is protobufjs' default conversion). */
function binlogAsRef(b: TipbBinlog): Record<string, unknown> {
  const o: Record<string, unknown> = {
    tp: b.tp,
    startTs: b.startTs.toString(),
    commitTs: b.commitTs.toString(),
    ddlJobId: b.ddlJobId.toString(),
    ddlSchemaState: b.ddlSchemaState,
  };
  if (b.prewriteKey) o.prewriteKey = [...b.prewriteKey];
  if (b.prewriteValue) o.prewriteValue = [...b.prewriteValue];
  if (b.ddlQuery) o.ddlQuery = [...b.ddlQuery];
  return o;
}

/** Decoded bytes are Buffer views; compare them as plain Uint8Arrays. */
function normBytes<T>(v: T): T {
  if (v instanceof Uint8Array) return Uint8Array.from(v) as T;
  if (Array.isArray(v)) return v.map(normBytes) as T;
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normBytes(x)])) as T;
  return v;
}

function plain(b: TipbBinlog): Record<string, unknown> {
  return binlogAsRef(b);
}

describe('tipb static codec', () => {
  it('agrees with protobufjs reflection on binlog.Binlog both ways, keeping presence and 64-bit values', () => {
    fc.assert(
      fc.property(binlogArb, (b) => {
        const ours = encodeTipbBinlog(b);
        const ref = RefBinlog.toObject(RefBinlog.decode(ours), toObj);
        expect({ ...ref, tp: Number(ref.tp as number) }).toEqual(binlogAsRef(b));
        // Reflection's encoding (different field writer) decodes back to the same object with our decoder.
        const refBytes = RefBinlog.encode(RefBinlog.fromObject({ ...binlogAsRef(b) })).finish();
        expect(plain(decodeTipbBinlog(refBytes))).toEqual(binlogAsRef(b));
        expect(plain(decodeTipbBinlog(ours))).toEqual(binlogAsRef(b));
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips PrewriteValue and matches reflection (unpacked and packed repeated scalars)', () => {
    fc.assert(
      fc.property(prewriteArb, (v) => {
        const ours = encodePrewriteValue(v);
        const back = decodePrewriteValue(ours);
        expect(normBytes(back)).toEqual(v);
        const ref = RefPrewrite.toObject(RefPrewrite.decode(ours), { longs: String, defaults: true, arrays: true });
        expect(ref.schemaVersion).toBe(v.schemaVersion.toString());
        const muts = ref.mutations as { tableId: string; deletedIds: string[]; sequence: number[] }[];
        expect(muts.map((m) => m.tableId)).toEqual(v.mutations.map((m) => m.tableId.toString()));
        expect(muts.map((m) => m.deletedIds)).toEqual(v.mutations.map((m) => m.deletedIds.map(String)));
        expect(muts.map((m) => m.sequence)).toEqual(v.mutations.map((m) => m.sequence));
      }),
      { numRuns: 200 },
    );
    // A packed `sequence` (wire type 2) is accepted too: field 7, len 3, values 0 1 4.
    const packed = Uint8Array.from([0x08, 0x05, 0x12, 0x07, 0x08, 0x09, 0x3a, 0x03, 0x00, 0x01, 0x04]);
    const pv = decodePrewriteValue(packed);
    expect(pv.schemaVersion).toBe(5n);
    expect(pv.mutations[0]?.tableId).toBe(9n);
    expect(pv.mutations[0]?.sequence).toEqual([0, 1, 4]);
  });

  it('keeps a TSO above 2^53 exactly and tells absent from empty bytes', () => {
    const ts = 434271871498256385n;
    const b = decodeTipbBinlog(encodeTipbBinlog({ tp: 1, startTs: ts - 7n, commitTs: ts, prewriteKey: new Uint8Array(0), ddlJobId: 0n, ddlSchemaState: 0 }));
    expect(b.commitTs).toBe(ts);
    expect(b.startTs).toBe(ts - 7n);
    expect(b.prewriteKey?.length).toBe(0);
    expect(b.prewriteValue).toBeUndefined();
    expect(b.ddlQuery).toBeUndefined();
  });

  it('rejects truncated and mistyped input with DecodeError', () => {
    const good = encodeTipbBinlog({ tp: 1, startTs: 10n, commitTs: 20n, prewriteValue: Uint8Array.from([1, 2, 3, 4]), ddlJobId: 0n, ddlSchemaState: 0 });
    expect(() => decodeTipbBinlog(good.subarray(0, good.length - 7))).toThrow(DecodeError);
    // field 2 (start_ts) sent as length-delimited.
    expect(() => decodeTipbBinlog(Uint8Array.from([0x12, 0x01, 0x00]))).toThrow(/wire type/);
    expect(() => decodeTipbBinlog(Uint8Array.from([0x10, 0xff, 0xff]))).toThrow(DecodeError);
  });
});
