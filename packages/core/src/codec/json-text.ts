import type { JsonNode } from '../model/values.js';

/**
 * TiDB's JSON text form (`BinaryJSON.String`, spec §7.4): `", "` and `": "` separators, keys in UTF-8 byte order,
 * doubles in shortest form (Go prints −0 as "-0"), strings escaped the way TiDB does (control characters as
 * `\u00xx`, U+2028/2029 escaped, `<>&` not escaped).
 */
export function formatJsonNode(node: JsonNode): string {
  if (node === null) return 'null';
  if (typeof node === 'string') return quoteJsonString(node);
  if (typeof node === 'bigint') return node.toString();
  if (typeof node === 'number') return formatJsonDouble(node);
  if (typeof node === 'boolean') return node ? 'true' : 'false';
  if (isJsonArray(node)) {
    let s = '[';
    for (let i = 0; i < node.length; i++) s += (i === 0 ? '' : ', ') + formatJsonNode(node[i]!);
    return s + ']';
  }
  const keys = Object.keys(node).sort(compareUtf8);
  let s = '{';
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    s += (i === 0 ? '' : ', ') + quoteJsonString(k) + ': ' + formatJsonNode(node[k]!);
  }
  return s + '}';
}

export function isJsonArray(node: JsonNode): node is readonly JsonNode[] {
  return Array.isArray(node);
}

/** Go's JSON float form: 'f' format unless |x| < 1e-6 or ≥ 1e21, exponent without zero padding; −0 → "-0". */
export function formatJsonDouble(x: number): string {
  if (Object.is(x, -0)) return '-0';
  return String(x);
}

function needsEscape(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || c === 0x2028 || c === 0x2029) return true;
  }
  return false;
}

export function quoteJsonString(s: string): string {
  if (!needsEscape(s)) return '"' + s + '"';
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    switch (c) {
      case 0x22:
        out += '\\"';
        break;
      case 0x5c:
        out += '\\\\';
        break;
      case 0x0a:
        out += '\\n';
        break;
      case 0x0d:
        out += '\\r';
        break;
      case 0x09:
        out += '\\t';
        break;
      case 0x2028:
        out += '\\u2028';
        break;
      case 0x2029:
        out += '\\u2029';
        break;
      default:
        out += c < 0x20 ? '\\u00' + (c < 16 ? '0' : '') + c.toString(16) : s[i];
    }
  }
  return out + '"';
}

/** Orders strings by their UTF-8 bytes (= code point order), which is how TiDB sorts object keys. */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}
