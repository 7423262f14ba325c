import { ConfigError } from '../errors/drainer-error.js';

/**
 * Compiles a block/allow-list pattern exactly as the Go drainer's `pkg/filter` does:
 * - `~rest` → the regex `rest`, case-insensitive, **unanchored** (`~^a` matches names starting with a, `~a`
 *   matches any name containing a);
 * - anything else → `^pattern$`, case-insensitive and **not escaped**: `.`, `|`, `*`… keep their regex meaning
 *   (the Go quirk: `db.1` also matches `dbx1`, and `a|b` compiles to `^a|b$` = "starts with a or ends with b").
 * Go's RE2 inline flags `(?i)` are dropped (we always match case-insensitively) and `(?P<name>` becomes `(?<name>`.
 */
export function compileNamePattern(pattern: string, key: string): RegExp {
  const source = pattern.startsWith('~') ? pattern.slice(1) : `^${pattern}$`;
  const js = source.replace(/^\(\?i\)/, '').replace(/\(\?P</g, '(?<');
  try {
    return new RegExp(js, 'i');
  } catch (err) {
    throw new ConfigError(
      `\`${key}\`: pattern "${pattern}" is not a valid regular expression (${(err as Error).message})`,
      { key, pattern },
    );
  }
}
