import { DrainerError } from '@tidb-drainer/core/sdk';
import type { ColumnValue, CommitTs, RowChange, TableInfo } from '@tidb-drainer/core/sdk';
import type { DispatchRuleConfig, PartitionerName } from '../config/kafka-sink-config.js';
import { handleKeyColumns } from '../format/handle-key.js';
import { valueText } from '../format/value-text.js';
import { PositionInertiaHash } from './partition-hash.js';
import { TableMatcher } from './table-matcher.js';
import { isValidTopicRule, substituteTopic } from './topic-expression.js';

/** How a row's partition is chosen (tagged on `kind`). */
export type Partitioner =
  | { readonly kind: 'compat' }
  | { readonly kind: 'table' }
  | { readonly kind: 'index-value'; readonly index?: string }
  | { readonly kind: 'ts' }
  | { readonly kind: 'columns'; readonly columns: readonly string[] };

export interface Route {
  readonly topic: string;
  readonly partitioner: Partitioner;
}

/**
 * A dispatcher rule that cannot be applied (bad topic expression, missing column or index). Fatal: retrying the same
 * configuration cannot help, and the drainer stops before anything is sent for the table.
 */
export class DispatchConfigError extends DrainerError {
  constructor(message: string) {
    super('E_KAFKA_DISPATCH_CONFIG', message, { retryable: false });
  }
}

/** The partitioner a dispatcher name selects; `rule` supplies the index or columns it names. */
export function partitionerFor(name: PartitionerName, rule?: DispatchRuleConfig): Partitioner {
  switch (name) {
    case 'compat':
      return { kind: 'compat' };
    case 'default':
    case 'table':
      return { kind: 'table' };
    case 'index-value':
    case 'rowid':
      return rule?.index === undefined ? { kind: 'index-value' } : { kind: 'index-value', index: rule.index };
    case 'ts':
      return { kind: 'ts' };
    case 'columns':
      if ((rule?.columns ?? []).length === 0) throw new DispatchConfigError('partition "columns" needs a non-empty columns list');
      return { kind: 'columns', columns: rule?.columns ?? [] };
  }
}

interface CompiledRule {
  readonly matcher: TableMatcher;
  readonly topic: string | undefined;
  readonly partitioner: Partitioner;
}

/**
 * TiCDC's event router: the first rule whose matcher matches a table gives its topic (literal or `{schema}` /
 * `{table}` expression, else the default topic) and partition dispatcher.
 */
export class EventRouter {
  private readonly rules: readonly CompiledRule[];
  private readonly cache = new Map<string, Route>();
  private readonly fallback: Route;

  constructor(
    rules: readonly DispatchRuleConfig[],
    readonly defaultTopic: string,
    defaultPartitioner: Partitioner,
    caseSensitive: boolean,
    private readonly forAvro: boolean,
  ) {
    this.fallback = { topic: defaultTopic, partitioner: defaultPartitioner };
    this.rules = rules.map((r) => {
      const topic = r.topic === undefined || r.topic === '' ? undefined : r.topic;
      if (topic !== undefined && !isValidTopicRule(topic, forAvro)) {
        throw new DispatchConfigError(`topic "${topic}" is not a valid topic or topic expression${forAvro ? ' for avro (needs {schema} and {table})' : ''}`);
      }
      const name = r.partition ?? r.dispatcher;
      return { matcher: new TableMatcher(r.matcher, caseSensitive), topic, partitioner: name === undefined ? defaultPartitioner : partitionerFor(name, r) };
    });
  }

  route(schema: string, table: string): Route {
    const key = `${schema}\u0000${table}`;
    let r = this.cache.get(key);
    if (r === undefined) {
      r = this.fallback;
      for (const rule of this.rules) {
        if (!rule.matcher.matches(schema, table)) continue;
        r = { topic: rule.topic === undefined ? this.defaultTopic : substituteTopic(rule.topic, schema, table), partitioner: rule.partitioner };
        break;
      }
      if (this.forAvro && r.topic === this.defaultTopic) {
        throw new DispatchConfigError(`avro needs a topic per table: no dispatcher with a {schema}/{table} topic matches ${schema}.${table}`);
      }
      this.cache.set(key, r);
    }
    return r;
  }
}

const hasher = new PositionInertiaHash();

function hashValue(h: PositionInertiaHash, t: TableInfo, offset: number, v: ColumnValue | undefined, zone: string): void {
  const col = t.columns[offset];
  if (col === undefined) return;
  const text = v === null || v === undefined ? 'null' : valueText(col, v, zone);
  h.write(col.name, text);
}

/** The partition of one row change (kafka-encodings §5.3); `n` is the topic's partition count. */
export function partitionOf(p: Partitioner, ch: RowChange, commitTs: CommitTs, n: number, zone: string): number {
  if (n <= 1) return 0;
  switch (p.kind) {
    case 'compat':
      return 0;
    case 'ts':
      return Number(commitTs % BigInt(n));
    case 'table':
      return hasher.reset().write(ch.schema, ch.table).sum32() % n;
    case 'index-value':
    case 'columns': {
      const t = ch.tableInfo;
      const row = ch.op === 'delete' ? ch.before : ch.after;
      hasher.reset().write(ch.schema, ch.table);
      for (const o of columnsToHash(p, t)) hashValue(hasher, t, o, row[o], zone);
      return hasher.sum32() % n;
    }
  }
}

const hashCols = new WeakMap<TableInfo, Map<string, readonly number[]>>();

function columnsToHash(p: Extract<Partitioner, { kind: 'index-value' | 'columns' }>, t: TableInfo): readonly number[] {
  let m = hashCols.get(t);
  if (m === undefined) {
    m = new Map();
    hashCols.set(t, m);
  }
  const key = p.kind === 'columns' ? `c:${p.columns.join(',')}` : `i:${p.index ?? ''}`;
  let cols = m.get(key);
  if (cols === undefined) {
    if (p.kind === 'columns') {
      cols = p.columns.map((name) => {
        const c = t.columns.find((x) => x.name.toLowerCase() === name.toLowerCase());
        if (c === undefined) throw new DispatchConfigError(`dispatch column ${name} not found in ${t.schema}.${t.name}`);
        return c.offset;
      });
    } else if (p.index !== undefined) {
      const idx = t.indices.find((i) => i.name.toLowerCase() === p.index?.toLowerCase());
      if (idx === undefined || !(idx.unique || idx.primary)) throw new DispatchConfigError(`index ${p.index} of ${t.schema}.${t.name} is missing or not unique`);
      cols = idx.columns;
    } else cols = handleKeyColumns(t);
    m.set(key, cols);
  }
  return cols;
}
