import type { SqlClient } from '@tidb-drainer/core';

const SEP = '\u0000';

/**
 * The non-generated columns of downstream tables (lower-case names), read from information_schema once per table
 * and forgotten after every DDL (spec §8.2 "Downstream table info"). A table with no columns (missing downstream)
 * is reported as unknown, so its statements run unchanged and fail with the server's own error.
 */
export class DownstreamColumns {
  private readonly known = new Map<string, ReadonlySet<string> | undefined>();

  constructor(private readonly client: SqlClient) {}

  /** Loads the tables not cached yet, in one query. */
  async load(tables: Iterable<readonly [string, string]>, signal: AbortSignal): Promise<void> {
    const wanted = new Map<string, readonly [string, string]>();
    for (const t of tables) {
      const id = t[0] + SEP + t[1];
      if (!this.known.has(id)) wanted.set(id, t);
    }
    if (wanted.size === 0) return;
    const pairs = [...wanted.values()];
    const rows = await this.client.query(
      `SELECT TABLE_SCHEMA AS s, TABLE_NAME AS t, COLUMN_NAME AS c FROM information_schema.COLUMNS WHERE (TABLE_SCHEMA, TABLE_NAME) IN (${pairs.map(() => '(?,?)').join(',')}) AND EXTRA NOT LIKE '%GENERATED%'`,
      pairs.flat(),
      signal,
    );
    const found = new Map<string, Set<string>>();
    for (const r of rows) {
      const id = String(r['s']) + SEP + String(r['t']);
      let set = found.get(id);
      if (set === undefined) found.set(id, (set = new Set()));
      set.add(String(r['c']).toLowerCase());
    }
    // information_schema may fold the names' case (lower_case_table_names): match case-insensitively too.
    const folded = new Map([...found].map(([k, v]) => [k.toLowerCase(), v]));
    for (const id of wanted.keys()) this.known.set(id, found.get(id) ?? folded.get(id.toLowerCase()));
  }

  get(schema: string, table: string): ReadonlySet<string> | undefined {
    return this.known.get(schema + SEP + table);
  }

  /** After a DDL: every table may have changed. */
  clear(): void {
    this.known.clear();
  }
}
