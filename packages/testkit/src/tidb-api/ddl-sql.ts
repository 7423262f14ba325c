import { MysqlType, columnTypeText } from '@tidb-drainer/core';
import type { TidbColumnSpec } from './column-spec.js';
import { toFieldType } from './column-spec.js';
import type { TidbTableSpec } from './table-spec.js';
import { pkIsHandleFor } from './table-spec.js';

/** `name` as a MySQL identifier. */
export function quoteIdent(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}

function quoteString(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/** A column definition as a user would write it (and MySQL/MariaDB accept): type, NULL-ness, default, generation. */
export function tidbColumnSql(c: TidbColumnSpec): string {
  const parts = [quoteIdent(c.name), columnTypeText(toFieldType(c))];
  if (c.generated !== undefined)
    parts.push(`GENERATED ALWAYS AS (${c.generated.expr}) ${c.generated.stored ? 'STORED' : 'VIRTUAL'}`);
  if (c.notNull === true) parts.push('NOT NULL');
  if (c.tp === MysqlType.Bit && c.defaultBit !== undefined) {
    let v = 0n;
    for (const b of c.defaultBit) v = (v << 8n) | BigInt(b);
    parts.push(`DEFAULT ${v}`);
  } else if (c.default === null) parts.push('DEFAULT NULL');
  else if (c.default !== undefined) parts.push(`DEFAULT ${quoteString(c.default)}`);
  return parts.join(' ');
}

/** The CREATE TABLE statement for a spec, TiDB-style (clustered-index hint in an executable comment). */
export function tidbCreateTableSql(spec: TidbTableSpec): string {
  const lines = spec.columns.map((c) => `  ${tidbColumnSql(c)}`);
  const pk = spec.primaryKey ?? [];
  if (pk.length > 0) {
    const clustered = pkIsHandleFor(spec) || spec.clustered === true;
    lines.push(
      `  PRIMARY KEY (${pk.map(quoteIdent).join(',')}) /*T![clustered_index] ${clustered ? 'CLUSTERED' : 'NONCLUSTERED'} */`,
    );
  }
  for (const u of spec.uniqueKeys ?? [])
    lines.push(`  UNIQUE KEY ${quoteIdent(u.name)} (${u.columns.map(quoteIdent).join(',')})`);
  for (const x of spec.indexes ?? [])
    lines.push(`  KEY ${quoteIdent(x.name)} (${x.columns.map(quoteIdent).join(',')})`);
  let sql = `CREATE TABLE ${quoteIdent(spec.name)} (\n${lines.join(',\n')}\n) ENGINE=InnoDB DEFAULT CHARSET=${spec.charset ?? 'utf8mb4'} COLLATE=${spec.collate ?? 'utf8mb4_bin'}`;
  if (spec.partition !== undefined) {
    const defs = spec.partition.definitions.map(
      (d) => `PARTITION ${quoteIdent(d.name)} VALUES LESS THAN (${d.lessThan})`,
    );
    sql += `\nPARTITION BY RANGE (${spec.partition.expr})\n(${defs.join(',\n ')})`;
  }
  return sql;
}
