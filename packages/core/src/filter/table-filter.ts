import type { TableNamePattern } from './filter-config.js';
import { compileNamePattern } from './name-pattern.js';

interface CompiledPair {
  readonly schema: RegExp;
  readonly table: RegExp;
}

export interface TableFilterOptions {
  readonly doDbs: readonly string[];
  readonly doTables: readonly TableNamePattern[];
  readonly ignoreSchemas: readonly string[];
  readonly ignoreTables: readonly TableNamePattern[];
}

/** Cached decisions per (schema, table); bounded because a workload touches a bounded set of tables. */
const CACHE_LIMIT = 65_536;

/**
 * The Go drainer's block/allow filter (`pkg/filter`, spec §9.1). Allow stage: when any do-db or do-table is
 * configured, a table passes iff it matches some do-table (both patterns) or its schema matches some do-db. Block
 * stage: dropped when it matches some ignore-table or its schema matches some ignore-schema. Names are compared
 * lower-cased against case-insensitive patterns (see compileNamePattern for the regex quirks). Database-level DDL
 * is checked with table `""`, so with only do-table rules, database DDL is skipped — as in Go.
 */
export class TableFilter {
  readonly #doDbs: readonly RegExp[];
  readonly #doTables: readonly CompiledPair[];
  readonly #ignoreDbs: readonly RegExp[];
  readonly #ignoreTables: readonly CompiledPair[];
  readonly #cache = new Map<string, boolean>();

  constructor(o: TableFilterOptions) {
    this.#doDbs = o.doDbs.map((p, i) => compileNamePattern(p, `syncer.replicate-do-db[${i}]`));
    this.#doTables = o.doTables.map((t, i) => ({
      schema: compileNamePattern(t.schema, `syncer.replicate-do-table[${i}].db-name`),
      table: compileNamePattern(t.table, `syncer.replicate-do-table[${i}].tbl-name`),
    }));
    this.#ignoreDbs = o.ignoreSchemas.map((p) => compileNamePattern(p, 'syncer.ignore-schemas'));
    this.#ignoreTables = o.ignoreTables.map((t, i) => ({
      schema: compileNamePattern(t.schema, `syncer.ignore-table[${i}].db-name`),
      table: compileNamePattern(t.table, `syncer.ignore-table[${i}].tbl-name`),
    }));
  }

  /** True when nothing is configured that could drop a table (lets the stage skip work). */
  get passesEverything(): boolean {
    return this.#doDbs.length + this.#doTables.length + this.#ignoreDbs.length + this.#ignoreTables.length === 0;
  }

  /** True when rows/DDL of `schema.table` must not be replicated. */
  skip(schema: string, table: string): boolean {
    const key = `${schema}\u0000${table}`;
    const hit = this.#cache.get(key);
    if (hit !== undefined) return hit;
    const result = this.#decide(schema.toLowerCase(), table.toLowerCase());
    if (this.#cache.size >= CACHE_LIMIT) this.#cache.clear();
    this.#cache.set(key, result);
    return result;
  }

  #decide(schema: string, table: string): boolean {
    const matchPair = (pairs: readonly CompiledPair[]): boolean =>
      pairs.some((p) => p.schema.test(schema) && p.table.test(table));
    const matchDb = (dbs: readonly RegExp[]): boolean => dbs.some((re) => re.test(schema));
    if (this.#doDbs.length > 0 || this.#doTables.length > 0) {
      if (!matchPair(this.#doTables) && !matchDb(this.#doDbs)) return true;
    }
    return matchPair(this.#ignoreTables) || matchDb(this.#ignoreDbs);
  }
}
