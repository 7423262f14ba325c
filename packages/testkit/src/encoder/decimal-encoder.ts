import { DIG2BYTES } from '@tidb-drainer/core/codec';
import type { ByteWriter } from './byte-writer.js';

/**
 * MySQL binary decimal (`MyDecimal.WriteBin`, spec §5) of a decimal text at `(precision, frac)`: the value is
 * rounded half away from zero to `frac` digits (as TiDB does when it converts to the column type) and must fit
 * `precision − frac` integer digits.
 */
export function writeDecimalBin(w: ByteWriter, text: string, precision: number, frac: number): void {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text.trim());
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw new RangeError(`not a decimal: ${JSON.stringify(text)}`);
  let negative = m[1] === '-';
  let intDigits = (m[2] ?? '').replace(/^0+/, '');
  let fracDigits = m[3] ?? '';
  if (fracDigits.length > frac) {
    const roundUp = fracDigits.charCodeAt(frac) >= 0x35;
    fracDigits = fracDigits.slice(0, frac);
    if (roundUp) {
      const all = increment(intDigits + fracDigits);
      intDigits = all.slice(0, all.length - frac).replace(/^0+/, '');
      fracDigits = all.slice(all.length - frac);
    }
  }
  fracDigits = fracDigits.padEnd(frac, '0');
  const intg = precision - frac;
  if (intDigits.length > intg) throw new RangeError(`decimal ${text} does not fit DECIMAL(${precision},${frac})`);
  if (/^0*$/.test(intDigits) && /^0*$/.test(fracDigits)) negative = false;
  const intPadded = intDigits.padStart(intg, '0');
  const bytes: number[] = [];
  const put = (digits: string, width: number): void => {
    let v = digits === '' ? 0 : Number(digits);
    const out: number[] = [];
    for (let i = 0; i < width; i++) {
      out.unshift(v % 256);
      v = Math.floor(v / 256);
    }
    bytes.push(...out);
  };
  const intg0x = intg % 9;
  put(intPadded.slice(0, intg0x), DIG2BYTES[intg0x]!);
  for (let i = intg0x; i < intg; i += 9) put(intPadded.slice(i, i + 9), 4);
  const frac0 = Math.floor(frac / 9);
  for (let i = 0; i < frac0; i++) put(fracDigits.slice(i * 9, i * 9 + 9), 4);
  const frac0x = frac % 9;
  if (frac0x > 0) put(fracDigits.slice(frac0 * 9), DIG2BYTES[frac0x]!);
  const mask = negative ? 0xff : 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]! ^ mask;
    w.byte(i === 0 ? b ^ 0x80 : b);
  }
}

function increment(digits: string): string {
  const d = digits.split('').map(Number);
  let i = d.length - 1;
  for (; i >= 0; i--) {
    if (d[i]! < 9) {
      d[i]!++;
      break;
    }
    d[i] = 0;
  }
  return (i < 0 ? '1' : '') + d.join('');
}
