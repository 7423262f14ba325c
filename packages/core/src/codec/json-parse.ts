import { DecodeError } from '../errors/drainer-error.js';
import type { JsonNode, JsonValue } from '../model/values.js';
import { formatJsonNode } from './json-text.js';

const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;

/**
 * Parses JSON text the way TiDB builds a JSON value (spec §7.3): numbers with `.`, `e` or `E` are doubles, other
 * numbers int64 if they fit, else uint64 if they fit, else double; duplicate keys: the last wins. Returns the tree
 * and TiDB's text form. Malformed text → DecodeError.
 */
export function parseJsonText(text: string): JsonValue {
  const p = new Parser(text);
  p.ws();
  const value = p.value(0);
  p.ws();
  if (p.i !== text.length) p.fail('trailing characters');
  return { kind: 'json', value, text: formatJsonNode(value) };
}

/** TiDB rejects deeper documents. */
const MAX_DEPTH = 100;

class Parser {
  i = 0;
  constructor(private readonly s: string) {}

  fail(msg: string): never {
    throw new DecodeError(`invalid JSON text: ${msg} at ${this.i}`, { offset: this.i });
  }

  ws(): void {
    while (this.i < this.s.length && ' \t\n\r'.includes(this.s[this.i]!)) this.i++;
  }

  value(depth: number): JsonNode {
    if (depth >= MAX_DEPTH) this.fail('nested too deeply');
    const c = this.s[this.i];
    switch (c) {
      case '{':
        return this.object(depth);
      case '[':
        return this.array(depth);
      case '"':
        return this.string();
      case 't':
        return this.word('true', true);
      case 'f':
        return this.word('false', false);
      case 'n':
        return this.word('null', null);
      case undefined:
        return this.fail('unexpected end of text');
      default:
        return this.number();
    }
  }

  word<T extends JsonNode>(w: string, v: T): T {
    if (!this.s.startsWith(w, this.i)) this.fail('unexpected token');
    this.i += w.length;
    return v;
  }

  object(depth: number): JsonNode {
    this.i++;
    const obj: Record<string, JsonNode> = {};
    this.ws();
    if (this.s[this.i] === '}') {
      this.i++;
      return obj;
    }
    for (;;) {
      this.ws();
      if (this.s[this.i] !== '"') this.fail('expected a key');
      const key = this.string();
      this.ws();
      if (this.s[this.i] !== ':') this.fail("expected ':'");
      this.i++;
      this.ws();
      const v = this.value(depth + 1);
      Object.defineProperty(obj, key, { value: v, enumerable: true, writable: true, configurable: true });
      this.ws();
      const c = this.s[this.i++];
      if (c === '}') return obj;
      if (c !== ',') this.fail("expected ',' or '}'");
    }
  }

  array(depth: number): JsonNode {
    this.i++;
    const arr: JsonNode[] = [];
    this.ws();
    if (this.s[this.i] === ']') {
      this.i++;
      return arr;
    }
    for (;;) {
      this.ws();
      arr.push(this.value(depth + 1));
      this.ws();
      const c = this.s[this.i++];
      if (c === ']') return arr;
      if (c !== ',') this.fail("expected ',' or ']'");
    }
  }

  string(): string {
    const start = ++this.i;
    let out = '';
    let from = start;
    for (;;) {
      if (this.i >= this.s.length) this.fail('unterminated string');
      const c = this.s.charCodeAt(this.i);
      if (c === 0x22) {
        out += this.s.slice(from, this.i++);
        return out;
      }
      if (c < 0x20) this.fail('control character in string');
      if (c !== 0x5c) {
        this.i++;
        continue;
      }
      out += this.s.slice(from, this.i);
      const e = this.s[this.i + 1];
      this.i += 2;
      switch (e) {
        case '"':
        case '\\':
        case '/':
          out += e;
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          const hex = this.s.slice(this.i, this.i + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('bad \\u escape');
          out += String.fromCharCode(parseInt(hex, 16));
          this.i += 4;
          break;
        }
        case undefined:
        default:
          this.fail('bad escape');
      }
      from = this.i;
    }
  }

  number(): JsonNode {
    const m = /^-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.s.slice(this.i, this.i + 400));
    if (!m) this.fail('unexpected token');
    this.i += m[0].length;
    if (m[1] !== undefined || m[2] !== undefined) return Number(m[0]);
    const v = BigInt(m[0]);
    if (v >= INT64_MIN && v <= UINT64_MAX) return v;
    return Number(m[0]);
  }
}
