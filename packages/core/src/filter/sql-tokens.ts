/** A significant token of MySQL text; whitespace and comments are skipped but positions are kept for rewriting. */
export interface SqlToken {
  /** `word`: bare identifier or keyword; `quoted`: `` `ident` `` (or `"ident"` with ANSI_QUOTES); `string`: a literal. */
  readonly kind: 'word' | 'quoted' | 'string' | 'punct';
  /** For `word`/`punct`: the text; for `quoted`: the unescaped identifier; for `string`: the raw literal. */
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

const WORD = /[A-Za-z0-9_$\u0080-\uffff]/;

function skipQuoted(sql: string, start: number, quote: string, backslash: boolean): number {
  let i = start + 1;
  while (i < sql.length) {
    const c = sql[i];
    if (backslash && c === '\\') {
      i += 2;
      continue;
    }
    if (c === quote) {
      if (sql[i + 1] === quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return sql.length;
}

/**
 * Splits MySQL text into tokens: quoted identifiers (doubled quote escapes), string literals (backslash and
 * doubled quote escapes), words, punctuation; skips `-- `, `#` and `/* … *\/` comments (TiDB's `/*T! … *\/`
 * feature comments included: they only carry table options). `ansiQuotes`: `"x"` is an identifier (sql-mode
 * ANSI_QUOTES) instead of a string.
 */
export function tokenizeSql(sql: string, ansiQuotes = false): SqlToken[] {
  const out: SqlToken[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i] ?? '';
    if (/\s/.test(c)) {
      i++;
    } else if (c === '#' || (c === '-' && sql[i + 1] === '-' && /[\s]|^$/.test(sql[i + 2] ?? ''))) {
      const nl = sql.indexOf('\n', i);
      i = nl === -1 ? sql.length : nl + 1;
    } else if (c === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2);
      i = close === -1 ? sql.length : close + 2;
    } else if (c === '`' || (c === '"' && ansiQuotes)) {
      const end = skipQuoted(sql, i, c, false);
      const body = sql
        .slice(i + 1, end - 1)
        .split(c + c)
        .join(c);
      out.push({ kind: 'quoted', text: body, start: i, end });
      i = end;
    } else if (c === "'" || c === '"') {
      const end = skipQuoted(sql, i, c, true);
      out.push({ kind: 'string', text: sql.slice(i, end), start: i, end });
      i = end;
    } else if (WORD.test(c)) {
      let j = i + 1;
      while (j < sql.length && WORD.test(sql[j] ?? '')) j++;
      out.push({ kind: 'word', text: sql.slice(i, j), start: i, end: j });
      i = j;
    } else {
      out.push({ kind: 'punct', text: c, start: i, end: i + 1 });
      i++;
    }
  }
  return out;
}

/** True when `t` is the bare keyword `kw` (case-insensitive). Quoted identifiers are never keywords. */
export function isKeyword(t: SqlToken | undefined, kw: string): boolean {
  return t?.kind === 'word' && t.text.toUpperCase() === kw;
}

/** True when `t` can name a schema or table. */
export function isIdentifier(t: SqlToken | undefined): t is SqlToken {
  return t !== undefined && (t.kind === 'word' || t.kind === 'quoted');
}

/** `` `name` `` with backticks doubled, the one quoting MySQL always accepts. */
export function quoteIdent(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}
