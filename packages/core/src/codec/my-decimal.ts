import type { DecimalValue } from '../model/values.js';
import type { DatumCursor } from './datum-cursor.js';

/** Bytes needed for 0…9 leftover digits of a MySQL binary decimal (`dig2bytes`). */
export const DIG2BYTES: readonly number[] = [0, 1, 1, 2, 2, 3, 3, 4, 4, 4];
const DIGITS_PER_WORD = 9;
/** TiDB's `WriteBin` rejects larger precision / frac; we refuse the same inputs. */
export const MAX_DECIMAL_PRECISION = 81;
export const MAX_DECIMAL_FRAC = 30;

/** `DecimalBinSize(precision, frac)`: the size of the binary form (§5). */
export function decimalBinSize(precision: number, frac: number): number {
  const intg = precision - frac;
  const intg0 = (intg / DIGITS_PER_WORD) | 0;
  const frac0 = (frac / DIGITS_PER_WORD) | 0;
  return intg0 * 4 + DIG2BYTES[intg - intg0 * 9]! + frac0 * 4 + DIG2BYTES[frac - frac0 * 9]!;
}

const POW10 = [1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000];

/**
 * Reads the payload of a decimal datum (flag 0x06 already consumed): precision byte, frac byte, MyDecimal binary.
 * The text keeps exactly `frac` fraction digits; a negative zero prints as zero (spec §12 q6).
 */
export function readDecimal(cur: DatumCursor): DecimalValue {
  cur.need(2);
  const start = cur.pos;
  const precision = cur.buf[start]!;
  const frac = cur.buf[start + 1]!;
  if (precision === 0 || precision > MAX_DECIMAL_PRECISION || frac > MAX_DECIMAL_FRAC || frac > precision) {
    cur.fail(`invalid decimal precision/frac ${precision},${frac}`, start);
  }
  cur.pos = start + 2;
  const size = decimalBinSize(precision, frac);
  cur.need(size);
  const buf = cur.buf;
  const binStart = cur.pos;
  let p = binStart;
  const mask = buf[p]! & 0x80 ? 0 : 0xff;
  const intg = precision - frac;
  const intg0 = (intg / DIGITS_PER_WORD) | 0;
  const intg0x = intg - intg0 * 9;
  const frac0 = (frac / DIGITS_PER_WORD) | 0;
  const frac0x = frac - frac0 * 9;
  let nonZero = 0;

  // Integer part. Up to 15 digits fit a double exactly, so the common DECIMAL(≤15,…) builds no digit strings.
  let intText: string;
  if (intg <= 15) {
    let v = 0;
    if (intg0x > 0) {
      const n = DIG2BYTES[intg0x]!;
      v = word(buf, p, n, mask, binStart);
      if (v >= POW10[intg0x]!) cur.fail('invalid decimal digits', p);
      p += n;
    }
    for (let i = 0; i < intg0; i++) {
      const w = word(buf, p, 4, mask, binStart);
      if (w >= 1e9) cur.fail('invalid decimal digits', p);
      v = v * 1e9 + w;
      p += 4;
    }
    nonZero = v;
    intText = String(v);
  } else {
    intText = '';
    if (intg0x > 0) {
      const n = DIG2BYTES[intg0x]!;
      const v = word(buf, p, n, mask, binStart);
      if (v >= POW10[intg0x]!) cur.fail('invalid decimal digits', p);
      if (v !== 0) intText = String(v);
      p += n;
    }
    for (let i = 0; i < intg0; i++) {
      const v = word(buf, p, 4, mask, binStart);
      if (v >= 1e9) cur.fail('invalid decimal digits', p);
      if (intText !== '') intText += pad(v, 9);
      else if (v !== 0) intText = String(v);
      p += 4;
    }
    if (intText === '') intText = '0';
    else nonZero = 1;
  }

  let text = intText;
  if (frac > 0) {
    text += '.';
    for (let i = 0; i < frac0; i++) {
      const v = word(buf, p, 4, mask, binStart);
      if (v >= 1e9) cur.fail('invalid decimal digits', p);
      nonZero += v;
      text += pad(v, 9);
      p += 4;
    }
    if (frac0x > 0) {
      const n = DIG2BYTES[frac0x]!;
      const v = word(buf, p, n, mask, binStart);
      if (v >= POW10[frac0x]!) cur.fail('invalid decimal digits', p);
      nonZero += v;
      text += pad(v, frac0x);
      p += n;
    }
  }
  cur.pos = p;
  return { kind: 'decimal', text: mask !== 0 && nonZero !== 0 ? '-' + text : text, precision, scale: frac };
}

/** Big-endian unsigned read of `n` bytes; the first byte of the binary form carries the flipped sign bit. */
function word(buf: Uint8Array, p: number, n: number, mask: number, binStart: number): number {
  let v = 0;
  for (let i = p; i < p + n; i++) v = v * 256 + (buf[i]! ^ mask ^ (i === binStart ? 0x80 : 0));
  return v;
}

const ZEROS = ['', '0', '00', '000', '0000', '00000', '000000', '0000000', '00000000', '000000000'];

function pad(v: number, width: number): string {
  const s = String(v);
  return s.length >= width ? s : ZEROS[width - s.length]! + s;
}
