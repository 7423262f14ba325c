import { ConfigError } from '../errors/drainer-error.js';
import type { FlagSpec } from './flag-table.js';

const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/**
 * Converts a flag's text (command line or `BINLOG_SERVER_*` env) to its value, with Go's parsing rules:
 * `strconv.ParseBool` spellings for booleans, base-10 integers (int64 ones as bigint, they may be TSOs).
 */
export function parseFlagValue(flag: FlagSpec, text: string, source: string): string | number | bigint | boolean {
  const bad = (what: string): ConfigError =>
    new ConfigError(`invalid value "${text}" for ${source}: ${what}`, { key: flag.name, source });
  switch (flag.kind) {
    case 'string':
      return text;
    case 'bool':
      if (TRUE.has(text)) return true;
      if (FALSE.has(text)) return false;
      throw bad('expected true or false');
    case 'int': {
      if (!/^[+-]?\d+$/.test(text)) throw bad('expected an integer');
      const n = Number(text);
      if (!Number.isSafeInteger(n)) throw bad('integer out of range');
      return n;
    }
    case 'int64':
      if (!/^[+-]?\d+$/.test(text)) throw bad('expected an integer');
      return BigInt(text);
  }
}
