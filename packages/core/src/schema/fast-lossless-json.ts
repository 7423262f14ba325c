/**
 * Integers with this many digits or more may lie outside ±2^53 (2^53 has 16 digits); shorter ones never do.
 */
const LONG_DIGITS = 16;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const MINUS = 0x2d;
/** Prefix of the placeholder string a long integer becomes before JSON.parse (escaped NUL: never in TiDB JSON). */
const MARK = '\u0000int:';

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/**
 * `parseJsonLossless` semantics — integers outside ±2^53 become `bigint`, everything else parses as `JSON.parse`
 * does — at several times its speed: DDL history pages are large (2–10 KB per job) and a long history is hundreds
 * of MB of JSON. One pass over the text finds integer literals of 16+ digits outside strings and wraps them in a
 * marked string, `JSON.parse` does the rest, and a walk turns the marked strings back into numbers.
 */
export function parseJsonFast(text: string): unknown {
  const parts: string[] = [];
  let last = 0;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      // Skip the string: find the closing quote not escaped by an odd run of backslashes.
      let j = text.indexOf('"', i + 1);
      for (;;) {
        if (j < 0) return JSON.parse(text); // unterminated: let JSON.parse report it
        let k = j - 1;
        while (text.charCodeAt(k) === BACKSLASH) k--;
        if ((j - 1 - k) % 2 === 0) break;
        j = text.indexOf('"', j + 1);
      }
      i = j + 1;
      continue;
    }
    if (isDigit(c) || c === MINUS) {
      const start = i;
      if (c === MINUS) i++;
      while (i < n && isDigit(text.charCodeAt(i))) i++;
      const digits = i - start - (c === MINUS ? 1 : 0);
      const next = i < n ? text.charCodeAt(i) : 0;
      const fractional = next === 0x2e || next === 0x65 || next === 0x45;
      if (digits >= LONG_DIGITS && !fractional) {
        parts.push(text.slice(last, start), `"\\u0000int:${text.slice(start, i)}"`);
        last = i;
      }
      // Skip the rest of a fractional number so its digits are not taken for a new literal.
      while (i < n && (isDigit(text.charCodeAt(i)) || '.eE+-'.includes(text.charAt(i)))) i++;
      continue;
    }
    i++;
  }
  if (parts.length === 0) return JSON.parse(text);
  parts.push(text.slice(last));
  return revive(JSON.parse(parts.join('')));
}

function revive(v: unknown): unknown {
  if (typeof v === 'string') {
    if (v.charCodeAt(0) !== 0 || !v.startsWith(MARK)) return v;
    const digits = v.slice(MARK.length);
    const num = Number(digits);
    return Number.isSafeInteger(num) ? num : BigInt(digits);
  }
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = revive(v[i]);
    return v;
  }
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) o[k] = revive(o[k]);
  }
  return v;
}
