/** A `{ db-name, tbl-name }` pair of the block/allow lists; either may be a `~regex`. */
export interface TableNamePattern {
  readonly schema: string;
  readonly table: string;
}

/** `[[syncer.table-migrate-rule]]`. Patterns use `*` (last char only), `?`, `[a-z]`, `[!a-z]`. */
export interface TableMigrateRule {
  readonly binlogFilterRules: readonly string[];
  readonly source: { readonly schema: string; readonly table: string };
  /** Rename route; empty parts keep the source name. */
  readonly target?: { readonly schema: string; readonly table: string };
}

/** `[syncer.binlog-filter-rule.<name>]`. */
export interface BinlogFilterRuleConfig {
  readonly ignoreEvent: readonly string[];
  readonly ignoreSql: readonly string[];
}

/** Everything the filter stage needs, resolved from `[syncer]` (spec §9). */
export interface FilterConfig {
  readonly ignoreTxnCommitTs: readonly bigint[];
  readonly ignoreSchemas: readonly string[];
  readonly ignoreTables: readonly TableNamePattern[];
  readonly doDbs: readonly string[];
  readonly doTables: readonly TableNamePattern[];
  /** Case-sensitivity of binlog-filter and route patterns (block/allow lists are always case-insensitive, as in Go). */
  readonly caseSensitive: boolean;
  readonly tableMigrateRules: readonly TableMigrateRule[];
  readonly binlogFilterRules: Readonly<Record<string, BinlogFilterRuleConfig>>;
  /** `sync-ddl = false`: no DDL reaches the sink. */
  readonly syncDdl: boolean;
  /** Upstream sql-mode: with ANSI_QUOTES, `"x"` in DDL text is an identifier. */
  readonly sqlMode?: string;
}
