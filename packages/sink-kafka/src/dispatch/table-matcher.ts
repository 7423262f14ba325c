/**
 * TiDB table-filter patterns as TiCDC's dispatcher `matcher` uses them: `schema.table`, each side a wildcard
 * pattern with `*` (any run), `?` (one character) and `[a-z]` classes; a leading `!` excludes. Case-insensitive
 * unless asked otherwise.
 */
export class TableMatcher {
  private readonly rules: readonly { readonly negate: boolean; readonly schema: RegExp; readonly table: RegExp }[];

  constructor(patterns: readonly string[], caseSensitive: boolean) {
    this.rules = patterns.map((raw) => {
      const negate = raw.startsWith('!');
      const p = negate ? raw.slice(1) : raw;
      const dot = splitAtUnescapedDot(p);
      if (dot < 0) throw new TypeError(`table filter "${raw}" must be schema.table`);
      return { negate, schema: globToRegExp(p.slice(0, dot), caseSensitive), table: globToRegExp(p.slice(dot + 1), caseSensitive) };
    });
  }

  /** As TiDB's table filter: the last matching pattern decides; no match = not matched. */
  matches(schema: string, table: string): boolean {
    for (let i = this.rules.length - 1; i >= 0; i--) {
      const r = this.rules[i];
      if (r !== undefined && r.schema.test(schema) && r.table.test(table)) return !r.negate;
    }
    return false;
  }
}

function splitAtUnescapedDot(p: string): number {
  let inClass = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') i++;
    else if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    else if (c === '.' && !inClass) return i;
  }
  return -1;
}

function globToRegExp(glob: string, caseSensitive: boolean): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] ?? '';
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) throw new TypeError(`unclosed [ in table filter "${glob}"`);
      let body = glob.slice(i + 1, end);
      if (body.startsWith('!')) body = `^${body.slice(1)}`;
      re += `[${body.replace(/\\/g, '\\\\')}]`;
      i = end;
    } else if (c === '\\' && i + 1 < glob.length) {
      re += (glob[++i] ?? '').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    } else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, caseSensitive ? 'su' : 'isu');
}
