import type { DdlEventType } from './event-type.js';
import { isIdentifier, isKeyword, tokenizeSql } from './sql-tokens.js';
import type { SqlToken } from './sql-tokens.js';

/** A schema or table name in DDL text: token indices so it can be rewritten in place. */
export interface NameRef {
  /** Index of the schema token when qualified (`db.t`), else undefined. */
  readonly schemaIdx?: number;
  /** Index of the table (or, for database DDL, the schema) token. */
  readonly nameIdx: number;
  /** `database`: the name is a schema (CREATE/DROP/ALTER DATABASE). */
  readonly kind: 'table' | 'database';
}

export interface DdlStatement {
  readonly tokens: readonly SqlToken[];
  /** Go binlog-filter `AstToDDLEvent`; undefined = NullEvent (not one of the filterable kinds). */
  readonly event?: DdlEventType;
  readonly names: readonly NameRef[];
}

/** Reads `name` or `schema.name` at `i`; returns the ref and the index after it. */
function readName(tokens: readonly SqlToken[], i: number, kind: NameRef['kind']): [NameRef, number] | undefined {
  if (!isIdentifier(tokens[i])) return undefined;
  if (
    kind === 'table' &&
    tokens[i + 1]?.text === '.' &&
    tokens[i + 1]?.kind === 'punct' &&
    isIdentifier(tokens[i + 2])
  ) {
    return [{ schemaIdx: i, nameIdx: i + 2, kind }, i + 3];
  }
  return [{ nameIdx: i, kind }, i + 1];
}

function skipKeywords(tokens: readonly SqlToken[], i: number, ...kws: string[]): number {
  let j = i;
  for (const kw of kws) {
    if (!isKeyword(tokens[j], kw)) return i;
    j++;
  }
  return j;
}

/** Reads a comma-separated list of table names starting at `i`. */
function readNameList(tokens: readonly SqlToken[], i: number, out: NameRef[]): void {
  let j = i;
  for (;;) {
    const r = readName(tokens, j, 'table');
    if (r === undefined) return;
    out.push(r[0]);
    j = r[1];
    if (tokens[j]?.text !== ',') return;
    j++;
  }
}

/** Adds names that follow REFERENCES / EXCHANGE … WITH TABLE / ALTER TABLE … RENAME [TO|AS] anywhere after `from`. */
function scanTail(tokens: readonly SqlToken[], from: number, out: NameRef[], alter: boolean): void {
  for (let j = from; j < tokens.length; j++) {
    const t = tokens[j];
    let at = -1;
    if (isKeyword(t, 'REFERENCES')) at = j + 1;
    else if (isKeyword(t, 'WITH') && isKeyword(tokens[j + 1], 'TABLE')) at = j + 2;
    else if (alter && isKeyword(t, 'RENAME') && !['COLUMN', 'INDEX', 'KEY'].some((k) => isKeyword(tokens[j + 1], k))) {
      at = isKeyword(tokens[j + 1], 'TO') || isKeyword(tokens[j + 1], 'AS') ? j + 2 : j + 1;
    }
    if (at < 0) continue;
    const r = readName(tokens, at, 'table');
    if (r !== undefined) {
      out.push(r[0]);
      j = r[1] - 1;
    }
  }
}

/**
 * A light reading of one DDL statement: its binlog-filter event type (as tidb-tools `AstToDDLEvent` maps TiDB's
 * AST: note that ALTER TABLE … ADD/DROP/TRUNCATE PARTITION is `alter table`, so the partition event names never
 * match in the Go drainer either) and where the schema/table names are, so routes can rewrite them. Statements
 * it does not recognise get no event type and no names (the Go NullEvent: only `ignore-sql` applies).
 * View bodies (`CREATE VIEW v AS SELECT …`) are not rewritten.
 */
export function readDdl(sql: string, ansiQuotes = false): DdlStatement {
  const tokens = tokenizeSql(sql, ansiQuotes);
  const names: NameRef[] = [];
  const kw = (i: number, k: string): boolean => isKeyword(tokens[i], k);
  let event: DdlEventType | undefined;
  let i = 1;

  if (kw(0, 'CREATE') || kw(0, 'DROP') || kw(0, 'ALTER')) {
    const verb = tokens[0]?.text.toUpperCase() as 'CREATE' | 'DROP' | 'ALTER';
    // Modifiers between the verb and the object keyword.
    while (i < tokens.length) {
      if (['TEMPORARY', 'GLOBAL', 'UNIQUE', 'FULLTEXT', 'SPATIAL', 'ONLINE', 'OFFLINE', 'IGNORE'].some((m) => kw(i, m)))
        i++;
      else if (kw(i, 'OR') && kw(i + 1, 'REPLACE')) i += 2;
      else if ((kw(i, 'ALGORITHM') || kw(i, 'DEFINER')) && tokens[i + 1]?.text === '=')
        i += 3 + (tokens[i + 3]?.text === '@' ? 2 : 0);
      else if (kw(i, 'SQL') && kw(i + 1, 'SECURITY')) i += 3;
      else break;
    }
    const obj = tokens[i]?.text.toUpperCase();
    if (obj === 'DATABASE' || obj === 'SCHEMA') {
      event = verb === 'CREATE' ? 'create database' : verb === 'DROP' ? 'drop database' : 'alter database';
      const at = skipKeywords(tokens, skipKeywords(tokens, i + 1, 'IF', 'NOT', 'EXISTS'), 'IF', 'EXISTS');
      if (isIdentifier(tokens[at]) && !(verb === 'ALTER' && isAlterDbOption(tokens, at)))
        names.push({ nameIdx: at, kind: 'database' });
    } else if (obj === 'TABLE' || obj === 'TABLES') {
      event = verb === 'CREATE' ? 'create table' : verb === 'DROP' ? 'drop table' : 'alter table';
      const at = skipKeywords(tokens, skipKeywords(tokens, i + 1, 'IF', 'NOT', 'EXISTS'), 'IF', 'EXISTS');
      if (verb === 'DROP') readNameList(tokens, at, names);
      else {
        const r = readName(tokens, at, 'table');
        if (r !== undefined) {
          names.push(r[0]);
          // CREATE TABLE t LIKE s / CREATE TABLE t (LIKE s): only right after the name, never inside expressions.
          const like = tokens[r[1]]?.text === '(' ? r[1] + 1 : r[1];
          const src =
            verb === 'CREATE' && isKeyword(tokens[like], 'LIKE') ? readName(tokens, like + 1, 'table') : undefined;
          if (src !== undefined) names.push(src[0]);
          scanTail(tokens, src?.[1] ?? r[1], names, verb === 'ALTER');
        }
      }
    } else if (obj === 'VIEW' && verb !== 'ALTER') {
      event = verb === 'CREATE' ? 'create view' : 'drop view';
      const at = skipKeywords(tokens, i + 1, 'IF', 'EXISTS');
      if (verb === 'DROP') readNameList(tokens, at, names);
      else {
        const r = readName(tokens, at, 'table');
        if (r !== undefined) names.push(r[0]);
      }
    } else if (obj === 'INDEX' && verb !== 'ALTER') {
      event = verb === 'CREATE' ? 'create index' : 'drop index';
      const on = tokens.findIndex((t, j) => j > i && isKeyword(t, 'ON'));
      if (on > 0) {
        const r = readName(tokens, on + 1, 'table');
        if (r !== undefined) names.push(r[0]);
      }
    }
  } else if (kw(0, 'TRUNCATE')) {
    event = 'truncate table';
    const r = readName(tokens, skipKeywords(tokens, 1, 'TABLE'), 'table');
    if (r !== undefined) names.push(r[0]);
  } else if (kw(0, 'RENAME') && (kw(1, 'TABLE') || kw(1, 'TABLES'))) {
    event = 'rename table';
    let j = 2;
    for (;;) {
      const from = readName(tokens, j, 'table');
      if (from === undefined || !isKeyword(tokens[from[1]], 'TO')) break;
      const to = readName(tokens, from[1] + 1, 'table');
      if (to === undefined) break;
      names.push(from[0], to[0]);
      j = to[1];
      if (tokens[j]?.text !== ',') break;
      j++;
    }
  }
  return { tokens, ...(event === undefined ? {} : { event }), names };
}

/** `ALTER DATABASE CHARACTER SET x` has no name: the word after DATABASE is an option. */
function isAlterDbOption(tokens: readonly SqlToken[], at: number): boolean {
  const t = tokens[at];
  if (t?.kind !== 'word') return false;
  return ['DEFAULT', 'CHARACTER', 'CHARSET', 'COLLATE', 'ENCRYPTION', 'READ', 'PLACEMENT', 'SET'].includes(
    t.text.toUpperCase(),
  );
}
