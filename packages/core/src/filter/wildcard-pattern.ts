import { ConfigError } from '../errors/drainer-error.js';

/**
 * Compiles a table-rule-selector pattern (tidb-tools, used by binlog-filter rules and routes): `*` matches any
 * run of characters and may only be the last character, `?` matches one character, `[a-z]` / `[!a-z]` match one
 * character in / not in the set; everything else is literal. Anchored at both ends. Case folding is the caller's
 * business (patterns and names are lower-cased unless `case-sensitive`).
 */
export function compileWildcard(pattern: string, key: string): RegExp {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] ?? '';
    if (c === '*') {
      if (i !== pattern.length - 1) {
        throw new ConfigError(`\`${key}\`: pattern "${pattern}" is invalid: \`*\` may only be the last character`, {
          key,
          pattern,
        });
      }
      re += '.*';
    } else if (c === '?') {
      re += '.';
    } else if (c === '[' && pattern.indexOf(']', i + 1) > i + 1) {
      const end = pattern.indexOf(']', i + 1);
      let body = pattern.slice(i + 1, end);
      const negate = body.startsWith('!') && body.length > 1;
      if (negate) body = body.slice(1);
      re += `[${negate ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
      i = end;
    } else {
      re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
  }
  return new RegExp(`${re}$`, 's');
}
