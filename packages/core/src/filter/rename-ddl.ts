import type { DdlStatement } from './ddl-statement.js';
import { quoteIdent } from './sql-tokens.js';
import type { RoutedName } from './table-router.js';

/**
 * Rewrites the schema/table names of a DDL statement through `route`. Unqualified names belong to
 * `defaultSchema` (the DDL's schema: the sink runs it after `USE <schema>`). A name whose route changes it is
 * written fully qualified and backtick-quoted (`` `db`.`t` ``), so it resolves the same whatever the current
 * database; names that do not change keep their original spelling, and everything else (comments, options,
 * literals, column definitions) is left byte for byte.
 */
export function renameDdl(
  sql: string,
  stmt: DdlStatement,
  defaultSchema: string,
  route: (schema: string, table: string) => RoutedName,
): string {
  const edits: { start: number; end: number; text: string }[] = [];
  for (const ref of stmt.names) {
    const nameTok = stmt.tokens[ref.nameIdx];
    if (nameTok === undefined) continue;
    if (ref.kind === 'database') {
      const to = route(nameTok.text, '');
      if (to.schema !== nameTok.text)
        edits.push({ start: nameTok.start, end: nameTok.end, text: quoteIdent(to.schema) });
      continue;
    }
    const schemaTok = ref.schemaIdx === undefined ? undefined : stmt.tokens[ref.schemaIdx];
    const schema = schemaTok?.text ?? defaultSchema;
    const to = route(schema, nameTok.text);
    if (to.schema === schema && to.table === nameTok.text) continue;
    edits.push({
      start: schemaTok?.start ?? nameTok.start,
      end: nameTok.end,
      text: `${quoteIdent(to.schema)}.${quoteIdent(to.table)}`,
    });
  }
  if (edits.length === 0) return sql;
  edits.sort((a, b) => a.start - b.start);
  let out = '';
  let pos = 0;
  for (const e of edits) {
    out += sql.slice(pos, e.start) + e.text;
    pos = e.end;
  }
  return out + sql.slice(pos);
}
