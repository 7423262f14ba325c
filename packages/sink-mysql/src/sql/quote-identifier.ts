/** A MySQL identifier in backticks, backticks inside doubled (spec §8.2). */
export function quoteIdentifier(name: string): string {
  return '`' + name.replaceAll('`', '``') + '`';
}

/** `` `schema`.`table` `` */
export function quoteTable(schema: string, table: string): string {
  return `${quoteIdentifier(schema)}.${quoteIdentifier(table)}`;
}
