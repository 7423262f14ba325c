import avro from 'avsc';
import { twosComplementBytes } from './avro-binary-writer.js';

/** avsc `long` backed by bigint, so commit ts and BIGINT values round-trip exactly. */
const bigintLong = avro.types.LongType.__with({
  fromBuffer: (buf: Buffer) => buf.readBigInt64LE(),
  toBuffer: (n: bigint) => {
    const buf = Buffer.alloc(8);
    buf.writeBigInt64LE(BigInt(n));
    return buf;
  },
  fromJSON: (n: number | bigint) => BigInt(n),
  toJSON: (n: bigint) => Number(n),
  isValid: (n: unknown) => typeof n === 'bigint',
  compare: (a: bigint, b: bigint) => (a === b ? 0 : a < b ? -1 : 1),
});

/** Avro `decimal` logical type read as exact decimal text. */
class DecimalText extends avro.types.LogicalType {
  private readonly scale: number;
  constructor(schema: avro.Schema, opts?: Partial<avro.ForSchemaOptions>) {
    super(schema, opts);
    const scale = (schema as { scale?: unknown }).scale;
    this.scale = typeof scale === 'number' ? scale : 0;
  }
  override _fromValue(buf: Buffer): string {
    let v = 0n;
    for (const b of buf) v = (v << 8n) | BigInt(b);
    if (buf.length > 0 && ((buf[0] ?? 0) & 0x80) !== 0) v -= 1n << BigInt(buf.length * 8);
    const neg = v < 0n;
    const digits = (neg ? -v : v).toString().padStart(this.scale + 1, '0');
    const text = this.scale === 0 ? digits : `${digits.slice(0, -this.scale)}.${digits.slice(-this.scale)}`;
    return neg ? `-${text}` : text;
  }
  override _toValue(text: string): Buffer {
    const [i = '0', f = ''] = text.replace('-', '').split('.');
    const v = BigInt(i + f.padEnd(this.scale, '0'));
    return Buffer.from(twosComplementBytes(text.startsWith('-') ? -v : v));
  }
  override _resolve(): undefined {
    return undefined;
  }
}

/** Decodes a Confluent-framed Avro message with the given writer schema (test and consumer helper). */
export function decodeAvroRecord(schemaText: string, bytes: Uint8Array): { schemaId: number; record: Record<string, unknown> } {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf[0] !== 0) throw new TypeError('not Confluent wire format (magic byte is not 0)');
  const type = avro.Type.forSchema(JSON.parse(schemaText) as avro.Schema, {
    logicalTypes: { decimal: DecimalText },
    wrapUnions: false,
    typeHook: (schema) => (schema === 'long' || (typeof schema === 'object' && !Array.isArray(schema) && (schema as { type?: unknown }).type === 'long') ? bigintLong : undefined),
  });
  return { schemaId: buf.readInt32BE(1), record: type.fromBuffer(buf.subarray(5)) as Record<string, unknown> };
}
