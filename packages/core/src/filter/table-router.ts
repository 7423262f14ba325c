import { ConfigError } from '../errors/drainer-error.js';
import type { TableMigrateRule } from './filter-config.js';
import { compileWildcard } from './wildcard-pattern.js';

export interface RoutedName {
  readonly schema: string;
  readonly table: string;
}

interface RouteRule {
  readonly schema: RegExp;
  readonly table?: RegExp;
  readonly targetSchema: string;
  readonly targetTable: string;
  readonly index: number;
}

/** Cached results per (schema, table); bounded because a workload touches a bounded set of tables. */
const CACHE_LIMIT = 65_536;

/**
 * Schema/table rename routes from `[[syncer.table-migrate-rule]]` entries with a `target` (tidb `table-router`
 * semantics): table-level rules (non-empty table pattern) win over schema-level ones; an empty target part keeps
 * the source name; two rules of the same level matching one table is an error (as in Go). Database-level names
 * (table "") use schema-level rules only.
 */
export class TableRouter {
  readonly #rules: readonly RouteRule[];
  readonly #caseSensitive: boolean;
  readonly #cache = new Map<string, RoutedName>();

  private constructor(rules: readonly RouteRule[], caseSensitive: boolean) {
    this.#rules = rules;
    this.#caseSensitive = caseSensitive;
  }

  /** Undefined when no rule has a target. */
  static fromConfig(rules: readonly TableMigrateRule[], caseSensitive: boolean): TableRouter | undefined {
    const compiled: RouteRule[] = [];
    rules.forEach((r, index) => {
      if (r.target === undefined || (r.target.schema === '' && r.target.table === '')) return;
      const fold = (s: string): string => (caseSensitive ? s : s.toLowerCase());
      const key = `syncer.table-migrate-rule[${index}].source`;
      compiled.push({
        schema: compileWildcard(fold(r.source.schema), `${key}.schema`),
        ...(r.source.table === '' ? {} : { table: compileWildcard(fold(r.source.table), `${key}.table`) }),
        targetSchema: r.target.schema,
        targetTable: r.target.table,
        index,
      });
    });
    return compiled.length === 0 ? undefined : new TableRouter(compiled, caseSensitive);
  }

  /** Where rows/DDL of `schema.table` go. Returns the same names when no rule matches. */
  route(schema: string, table: string): RoutedName {
    const key = `${schema}\u0000${table}`;
    const hit = this.#cache.get(key);
    if (hit !== undefined) return hit;
    const result = this.#route(schema, table);
    if (this.#cache.size >= CACHE_LIMIT) this.#cache.clear();
    this.#cache.set(key, result);
    return result;
  }

  #route(schema: string, table: string): RoutedName {
    if (schema === '') return { schema, table };
    const s = this.#caseSensitive ? schema : schema.toLowerCase();
    const t = this.#caseSensitive ? table : table.toLowerCase();
    const matched = this.#rules.filter((r) => r.schema.test(s) && (r.table === undefined || r.table.test(t)));
    const tableRules = matched.filter((r) => r.table !== undefined);
    const schemaRules = matched.filter((r) => r.table === undefined);
    const pick = table === '' || tableRules.length === 0 ? schemaRules : tableRules;
    if (pick.length > 1) {
      throw new ConfigError(
        `\`syncer.table-migrate-rule\`: ${schema}.${table} matches more than one route (rules ${pick.map((r) => r.index).join(', ')})`,
        {
          key: 'syncer.table-migrate-rule',
          schema,
          table,
        },
      );
    }
    const rule = pick[0];
    if (rule === undefined) return { schema, table };
    return {
      schema: rule.targetSchema === '' ? schema : rule.targetSchema,
      table: rule.targetTable === '' || table === '' ? table : rule.targetTable,
    };
  }
}
