const HEX = '0123456789abcdef';

/**
 * A JSON string literal as Go's JSON writers emit it (easyjson / encoding/json with HTML escaping): `"` and `\`
 * escaped, `\n` `\r` `\t` short forms, other C0 controls and `<` `>` `&` U+2028 U+2029 as `\u00xx`.
 */
export function jsonString(s: string): string {
  // Fast path: most names and values need no escaping.
  // eslint-disable-next-line no-control-regex -- matching the control characters is the point
  if (!/["\\\u0000-\u001f<>&\u2028\u2029]/u.test(s)) return `"${s}"`;
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c < 0x20 || c === 0x3c || c === 0x3e || c === 0x26) out += `\\u00${HEX[c >> 4] ?? '0'}${HEX[c & 15] ?? '0'}`;
    else if (c === 0x2028) out += '\\u2028';
    else if (c === 0x2029) out += '\\u2029';
    else out += s[i] ?? '';
  }
  return `${out}"`;
}
