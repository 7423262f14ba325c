import type { DdlEvent, Resolved, RowChange, Txn } from '../model/events.js';
import type { ChangeEvent } from '../model/events.js';
import type { TableInfo } from '../model/table-info.js';
import { BinlogEventFilter } from './binlog-event-filter.js';
import { readDdl } from './ddl-statement.js';
import type { FilterConfig } from './filter-config.js';
import { renameDdl } from './rename-ddl.js';
import { TableFilter } from './table-filter.js';
import { TableRouter } from './table-router.js';

/** One event in, one event out, order kept. A fully filtered Txn or DDL becomes a `Resolved` at its commit ts. */
export type FilterStage = (event: ChangeEvent) => ChangeEvent;

export interface FilterStats {
  /** Transactions turned into Resolved (every row filtered, or ignore-txn-commit-ts). */
  txnsDropped: number;
  rowsDropped: number;
  ddlsDropped: number;
}

function resolved(commitTs: bigint): Resolved {
  return { kind: 'resolved', commitTs };
}

/**
 * Builds the filter/route stage from `[syncer]` settings (spec §9): ignore-txn-commit-ts, the block/allow lists,
 * binlog-event filter rules, sync-ddl, and rename routes. It is a pure function of each event (plus bounded caches).
 *
 * Filtered transactions still advance the checkpoint: a Txn with no row left, or a dropped DDL, is replaced by a
 * `Resolved` at its commit ts (the Go drainer's "fake binlog"). Unlike Go, a transaction listed in
 * `ignore-txn-commit-ts` also yields a Resolved: the checkpoint may move past it, which is harmless since a
 * re-read would drop it again.
 */
export function createFilterStage(cfg: FilterConfig, stats?: FilterStats): FilterStage {
  const ignoreTs = new Set(cfg.ignoreTxnCommitTs);
  const tables = new TableFilter(cfg);
  const events = BinlogEventFilter.fromConfig(cfg.tableMigrateRules, cfg.binlogFilterRules, cfg.caseSensitive);
  const router = TableRouter.fromConfig(cfg.tableMigrateRules, cfg.caseSensitive);
  const ansiQuotes = /(^|,)\s*ANSI(_QUOTES)?\s*(,|$)/i.test(cfg.sqlMode ?? '');
  const renamedInfos = new WeakMap<TableInfo, TableInfo>();

  const renamedInfo = (info: TableInfo, schema: string, name: string): TableInfo => {
    const hit = renamedInfos.get(info);
    if (hit !== undefined && hit.schema === schema && hit.name === name) return hit;
    // One copy per table version, so sinks that cache by TableInfo identity keep working.
    const copy: TableInfo = { ...info, schema, name };
    renamedInfos.set(info, copy);
    return copy;
  };

  /**
   * Per-table decisions, cached by TableInfo identity (every row of a table version shares one object), so the hot
   * path does no string work. The names are checked too: the cache is only a shortcut, never a different answer.
   */
  interface Decision {
    readonly schema: string;
    readonly table: string;
    readonly skip: boolean;
    readonly ignored: { insert: boolean; update: boolean; delete: boolean };
    readonly info?: TableInfo;
  }
  const decisions = new WeakMap<TableInfo, Decision>();
  const decide = (c: RowChange): Decision => {
    const hit = decisions.get(c.tableInfo);
    if (hit !== undefined && hit.schema === c.schema && hit.table === c.table) return hit;
    const skip = tables.skip(c.schema, c.table);
    const ignored = {
      insert: events?.ignores(c.schema, c.table, 'insert') === true,
      update: events?.ignores(c.schema, c.table, 'update') === true,
      delete: events?.ignores(c.schema, c.table, 'delete') === true,
    };
    const to = router?.route(c.schema, c.table);
    const moved = to !== undefined && (to.schema !== c.schema || to.table !== c.table);
    const d: Decision = {
      schema: c.schema,
      table: c.table,
      skip,
      ignored,
      ...(moved ? { info: renamedInfo(c.tableInfo, to.schema, to.table) } : {}),
    };
    decisions.set(c.tableInfo, d);
    return d;
  };

  const onTxn = (txn: Txn): ChangeEvent => {
    if (ignoreTs.has(txn.commitTs)) {
      if (stats !== undefined) stats.txnsDropped++;
      return resolved(txn.commitTs);
    }
    if (tables.passesEverything && events === undefined && router === undefined) {
      return txn.changes.length === 0 ? resolved(txn.commitTs) : txn;
    }
    const kept: RowChange[] = [];
    let changed = false;
    for (const c of txn.changes) {
      const d = decide(c);
      if (d.skip || d.ignored[c.op]) {
        changed = true;
        continue;
      }
      if (d.info === undefined) {
        kept.push(c);
      } else {
        changed = true;
        kept.push({ ...c, schema: d.info.schema, table: d.info.name, tableInfo: d.info });
      }
    }
    if (stats !== undefined) stats.rowsDropped += txn.changes.length - kept.length;
    if (kept.length === 0) {
      if (stats !== undefined) stats.txnsDropped++;
      return resolved(txn.commitTs);
    }
    if (!changed) return txn;
    // `bytes` is the payload estimate the runner bounds memory with: scale it to the rows kept.
    const bytes =
      kept.length === txn.changes.length ? txn.bytes : Math.ceil((txn.bytes * kept.length) / txn.changes.length);
    return { ...txn, changes: kept, bytes };
  };

  const onDdl = (ddl: DdlEvent): ChangeEvent => {
    const table = ddl.table ?? '';
    const drop = (): Resolved => {
      if (stats !== undefined) stats.ddlsDropped++;
      return resolved(ddl.commitTs);
    };
    if (ignoreTs.has(ddl.commitTs) || !cfg.syncDdl) return drop();
    if (tables.skip(ddl.schema, table)) return drop();
    const needStatement = events !== undefined || router !== undefined;
    const stmt = needStatement ? readDdl(ddl.query, ansiQuotes) : undefined;
    if (events !== undefined && events.ignores(ddl.schema, table, stmt?.event, ddl.query)) return drop();
    if (router === undefined || stmt === undefined) return ddl;
    const to = router.route(ddl.schema, table);
    const query = renameDdl(ddl.query, stmt, ddl.schema, (s, t) => router.route(s, t));
    if (query === ddl.query && to.schema === ddl.schema && to.table === table) return ddl;
    return {
      ...ddl,
      query,
      schema: to.schema,
      ...(ddl.table === undefined ? {} : { table: to.table }),
      ...(ddl.tableInfo === undefined ? {} : { tableInfo: renamedInfo(ddl.tableInfo, to.schema, to.table) }),
    };
  };

  return (event: ChangeEvent): ChangeEvent => {
    switch (event.kind) {
      case 'txn':
        return onTxn(event);
      case 'ddl':
        return onDdl(event);
      case 'resolved':
        return event;
    }
  };
}

/** Runs a stage over a stream of events (the pipeline's form of it). */
export async function* filterEvents(
  source: AsyncIterable<ChangeEvent>,
  stage: FilterStage,
): AsyncGenerator<ChangeEvent> {
  for await (const event of source) yield stage(event);
}
