import type { Pool, RowDataPacket } from 'mysql2/promise';

/**
 * The key of each destination table (primary key, else the first unique key whose columns are all NOT NULL), as
 * Go's loader reads it from the destination; the pb files carry no key. Fetched once per table, forgotten on DDL.
 */
export class KeyCache {
  private readonly keys = new Map<string, readonly string[] | undefined>();

  constructor(private readonly pool: Pool) {}

  get(schema: string, table: string): readonly string[] | undefined {
    return this.keys.get(`${schema}.${table}`);
  }

  forget(): void {
    this.keys.clear();
  }

  async ensure(schema: string, table: string): Promise<void> {
    const k = `${schema}.${table}`;
    if (this.keys.has(k)) return;
    const [rows] = await this.pool.query<RowDataPacket[]>(
      `SELECT s.INDEX_NAME AS idx, s.COLUMN_NAME AS col, s.NON_UNIQUE AS nonUnique, c.IS_NULLABLE AS nullable
         FROM information_schema.STATISTICS s
         JOIN information_schema.COLUMNS c
           ON c.TABLE_SCHEMA = s.TABLE_SCHEMA AND c.TABLE_NAME = s.TABLE_NAME AND c.COLUMN_NAME = s.COLUMN_NAME
        WHERE s.TABLE_SCHEMA = ? AND s.TABLE_NAME = ? AND s.NON_UNIQUE = 0
        ORDER BY s.INDEX_NAME = 'PRIMARY' DESC, s.INDEX_NAME, s.SEQ_IN_INDEX`,
      [schema, table],
    );
    const byIndex = new Map<string, { cols: string[]; nullable: boolean }>();
    for (const r of rows) {
      const name = String(r['idx']);
      let e = byIndex.get(name);
      if (e === undefined) byIndex.set(name, (e = { cols: [], nullable: false }));
      e.cols.push(String(r['col']));
      if (String(r['nullable']) === 'YES') e.nullable = true;
    }
    const chosen = [...byIndex.entries()].find(([name, e]) => name === 'PRIMARY' || !e.nullable);
    this.keys.set(k, chosen?.[1].cols);
  }
}
