import { ConfigError } from '../errors/drainer-error.js';
import { isDmlEvent, toRuleEventType } from './event-type.js';
import type { EventType, RuleEventType } from './event-type.js';
import type { BinlogFilterRuleConfig, TableMigrateRule } from './filter-config.js';
import { compileWildcard } from './wildcard-pattern.js';

interface CompiledRule {
  readonly schema: RegExp;
  /** Undefined: a schema-level rule (empty table pattern), matching every table of the schema. */
  readonly table?: RegExp;
  readonly events: readonly RuleEventType[];
  readonly sql?: RegExp;
}

/** Go binlog-filter `matchEvent`: the first meta entry decides; otherwise an exact match. */
function matchEvent(event: EventType, events: readonly RuleEventType[]): boolean {
  const dml = isDmlEvent(event);
  for (const e of events) {
    if (e === 'all') return true;
    if (e === 'none') return false;
    if (!dml && e === 'all ddl') return true;
    if (!dml && e === 'none ddl') return false;
    if (dml && e === 'all dml') return true;
    if (dml && e === 'none dml') return false;
    if (e === event) return true;
  }
  return false;
}

/**
 * The binlog-event filter of the Go drainer (tidb-tools `binlog-filter` driven by `[[syncer.table-migrate-rule]]`
 * and `[syncer.binlog-filter-rule.<name>]`, spec §9.2). Each referenced rule becomes an Ignore rule for the
 * source patterns; rules on the same pattern pair are merged. DML is checked per row by event type; DDL by
 * statement type and by the `ignore-sql` regexes searched in its text. DDL the classifier cannot type (Go
 * NullEvent) is checked by SQL patterns only.
 */
export class BinlogEventFilter {
  readonly #rules: readonly CompiledRule[];
  readonly #caseSensitive: boolean;

  private constructor(rules: readonly CompiledRule[], caseSensitive: boolean) {
    this.#rules = rules;
    this.#caseSensitive = caseSensitive;
  }

  /** Undefined when no rule is configured (the common case: no per-event work at all). */
  static fromConfig(
    migrateRules: readonly TableMigrateRule[],
    named: Readonly<Record<string, BinlogFilterRuleConfig>>,
    caseSensitive: boolean,
  ): BinlogEventFilter | undefined {
    const merged = new Map<string, { schema: string; table: string; events: RuleEventType[]; sql: string[] }>();
    migrateRules.forEach((rule, i) => {
      for (const name of rule.binlogFilterRules) {
        const r = named[name];
        if (r === undefined) {
          throw new ConfigError(
            `\`syncer.table-migrate-rule[${i}].binlog-filter-rule\`: event filter rule name ${name} not found`,
            {
              key: `syncer.binlog-filter-rule.${name}`,
            },
          );
        }
        const events = r.ignoreEvent.map((e) => {
          const t = toRuleEventType(e);
          if (t === undefined)
            throw new ConfigError(`\`syncer.binlog-filter-rule.${name}.ignore-event\`: "${e}" is not an event type`, {
              key: `syncer.binlog-filter-rule.${name}.ignore-event`,
            });
          return t;
        });
        const schema = caseSensitive ? rule.source.schema : rule.source.schema.toLowerCase();
        const table = caseSensitive ? rule.source.table : rule.source.table.toLowerCase();
        const k = `${schema}\u0000${table}`;
        const cur = merged.get(k) ?? { schema, table, events: [], sql: [] };
        cur.events.push(...events);
        cur.sql.push(...r.ignoreSql);
        merged.set(k, cur);
      }
    });
    if (merged.size === 0) return undefined;
    const rules = [...merged.values()].map((m, i): CompiledRule => {
      let sql: RegExp | undefined;
      if (m.sql.length > 0) {
        try {
          sql = new RegExp(m.sql.join('|'), 'i');
        } catch (err) {
          throw new ConfigError(
            `\`syncer.binlog-filter-rule\`: ignore-sql ${JSON.stringify(m.sql)} is not a valid regex (${(err as Error).message})`,
            { key: 'syncer.binlog-filter-rule' },
          );
        }
      }
      const key = `syncer.table-migrate-rule[${i}].source`;
      return {
        schema: compileWildcard(m.schema, `${key}.schema`),
        ...(m.table === '' ? {} : { table: compileWildcard(m.table, `${key}.table`) }),
        events: m.events,
        ...(sql === undefined ? {} : { sql }),
      };
    });
    return new BinlogEventFilter(rules, caseSensitive);
  }

  /**
   * True when the event must be dropped. `event` undefined = unclassified DDL (SQL patterns only); `sql` is the DDL
   * text ("" for DML). Database-level DDL passes table "".
   */
  ignores(schema: string, table: string, event: EventType | undefined, sql = ''): boolean {
    const s = this.#caseSensitive ? schema : schema.toLowerCase();
    const t = this.#caseSensitive ? table : table.toLowerCase();
    for (const r of this.#rules) {
      if (!r.schema.test(s)) continue;
      if (r.table !== undefined && !r.table.test(t)) continue;
      if (event !== undefined && matchEvent(event, r.events)) return true;
      if (sql !== '' && r.sql?.test(sql) === true) return true;
    }
    return false;
  }
}
