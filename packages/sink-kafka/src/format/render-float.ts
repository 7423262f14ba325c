/**
 * Float text as TiCDC writes it: the shortest digits that read back to the same value (float32 for FLOAT,
 * float64 for DOUBLE), always in fixed notation (Go's `strconv.FormatFloat(f, 'f', -1, bits)`); NaN and ±Inf
 * become 0 as TiCDC's mounter does.
 */
export function floatText(x: number, float32: boolean): string {
  if (!Number.isFinite(x)) return '0';
  if (x === 0) return '0';
  const digits = float32 ? shortestFloat32(x) : String(x);
  return toFixedNotation(digits);
}

/** The shortest decimal form that round-trips through float32 (JS's String() gives the float64 one). */
export function shortestFloat32(x: number): string {
  const f = Math.fround(x);
  for (let p = 1; p <= 9; p++) {
    const s = f.toPrecision(p);
    if (Math.fround(Number(s)) === f) return String(Number(s));
  }
  return String(f);
}

/** Rewrites a JS number text that may use exponent notation (`1e-7`, `1.5e+21`) in plain positional digits. */
export function toFixedNotation(text: string): string {
  const e = text.search(/e/i);
  if (e < 0) return text;
  let mantissa = text.slice(0, e);
  const exp = Number(text.slice(e + 1));
  let sign = '';
  if (mantissa.startsWith('-')) {
    sign = '-';
    mantissa = mantissa.slice(1);
  }
  const dot = mantissa.indexOf('.');
  const intPart = dot < 0 ? mantissa : mantissa.slice(0, dot);
  const fracPart = dot < 0 ? '' : mantissa.slice(dot + 1);
  const digits = intPart + fracPart;
  const point = intPart.length + exp;
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`.replace(/0+$/, '');
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}
