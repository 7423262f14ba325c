import { z } from 'zod';
import { meta, tomlInt, tomlInt64 } from './schema-helpers.js';
import { syncerToSchema } from './syncer-to-schema.js';

/** `{ db-name, tbl-name }` entries of replicate-do-table / ignore-table (Go `filter.TableName`). */
export const tableNameSchema = z.strictObject({
  'db-name': meta(z.string().min(1, 'must not be empty'), {
    description: 'Schema name, or a regex when it starts with `~`.',
  }),
  'tbl-name': meta(z.string().min(1, 'must not be empty'), {
    description: 'Table name, or a regex when it starts with `~`.',
  }),
});

const patternPair = z.strictObject({
  schema: meta(z.string().min(1, 'must not be empty'), {
    description: 'Schema pattern: `*` (last char only), `?`, `[a-z]`, `[!a-z]`.',
  }),
  table: meta(z.string().default(''), { description: 'Table pattern (empty: the rule applies to the whole schema).' }),
});

/** `[[syncer.table-migrate-rule]]`: attaches binlog-filter rules (and a rename target) to a source pattern. */
export const tableMigrateRuleSchema = z.strictObject({
  'binlog-filter-rule': meta(z.array(z.string()).optional(), {
    description: 'Names of [syncer.binlog-filter-rule.<name>] rules applied to the source.',
  }),
  source: meta(patternPair, { description: 'Which upstream tables the rule covers.' }),
  target: meta(
    z
      .strictObject({
        schema: meta(z.string().default(''), { description: 'Downstream schema (empty: unchanged).' }),
        table: meta(z.string().default(''), { description: 'Downstream table (empty: unchanged).' }),
      })
      .optional(),
    {
      description:
        'Rename route: rows and DDL of the source go to this schema/table. The Go drainer applies it only for oracle; we apply it for every sink (DML and DDL text).',
    },
  ),
});

/** `[syncer.binlog-filter-rule.<name>]`. */
export const binlogFilterRuleSchema = z.strictObject({
  'ignore-event': meta(z.array(z.string()).optional(), {
    description: 'Event types to drop: insert, update, delete, all dml, create table, truncate table, … (spec §9.2).',
  }),
  'ignore-sql': meta(z.array(z.string()).optional(), {
    description: 'Regexes (case-insensitive, searched in the DDL text) of DDL to drop.',
  }),
});

export const relaySchema = z.strictObject({
  'log-dir': meta(z.string().default(''), {
    description:
      'Relay log directory (empty disables it). Relay logs are not supported: a non-empty value is an error.',
    flag: '-relay-log-dir',
    status: 'unsupported-when-set',
  }),
  'max-file-size': meta(tomlInt.default(10_485_760), {
    description: 'Max size of one relay log file.',
    flag: '-relay-max-file-size',
  }),
});

/** `[syncer]` (Go `SyncerConfig`). */
export const syncerSchema = z.strictObject({
  'sql-mode': meta(z.string().optional(), {
    description:
      'Upstream sql-mode: used to read DDL text (ANSI_QUOTES) and set on the downstream by the MySQL sink. Unset: none.',
  }),
  'ignore-txn-commit-ts': meta(z.array(tomlInt64).default([]), {
    description: 'Commit ts of transactions to drop.',
    defaultText: '[]',
  }),
  'ignore-schemas': meta(
    z
      .string()
      .refine(
        (v) => !v.split(',').includes(''),
        'empty schema name (as in the Go drainer, every comma-separated entry must be non-empty)',
      )
      .default('INFORMATION_SCHEMA,PERFORMANCE_SCHEMA,mysql'),
    {
      description: 'Comma-separated schemas to drop (case-insensitive; `~` prefix = regex).',
      flag: '-ignore-schemas',
    },
  ),
  'ignore-table': meta(z.array(tableNameSchema).default([]), {
    description: 'Tables to drop: [[syncer.ignore-table]] db-name / tbl-name.',
  }),
  'replicate-do-db': meta(z.array(z.string().min(1, 'must not be empty')).default([]), {
    description: 'Only replicate these schemas (plus replicate-do-table). `~` prefix = regex.',
  }),
  'replicate-do-table': meta(z.array(tableNameSchema).default([]), {
    description:
      'Only replicate these tables (plus replicate-do-db): [[syncer.replicate-do-table]] db-name / tbl-name.',
  }),
  'txn-batch': meta(tomlInt.default(20), {
    description: 'Rows per downstream statement batch (MySQL sink); also caps transactions per runner batch.',
    flag: '-txn-batch',
  }),
  'worker-count': meta(tomlInt.default(16), {
    description: 'Parallel appliers of the MySQL sink (the Go drainer forces 1 for file and kafka).',
    flag: '-c',
  }),
  'loopback-control': meta(z.boolean().default(false), {
    description: 'Two-way replication loop prevention via a mark table. Not supported yet: true is an error.',
    flag: '-loopback-control',
    status: 'unsupported-when-set',
  }),
  'sync-ddl': meta(z.boolean().default(true), {
    description: 'Replicate DDL (false: DDL only updates the schema, never reaches the sink).',
    flag: '-sync-ddl',
  }),
  'channel-id': meta(tomlInt.default(0), {
    description: 'Loopback channel id (used with loopback-control).',
    flag: '-channel-id',
  }),
  'db-type': meta(z.string().default('mysql'), {
    description:
      'Sink: mysql, tidb, kafka, file (alias pb), print, jsonl, null, or a custom sink (path or npm package). `--sink` overrides it.',
    flag: '-dest-db-type',
  }),
  'enable-dispatch': meta(z.boolean().optional(), {
    description: 'Go: split a transaction over workers. Accepted; the MySQL sink decides.',
    flag: '-enable-dispatch',
    status: 'ignored',
  }),
  'disable-dispatch': meta(z.boolean().optional(), {
    description: 'Deprecated inverse of enable-dispatch (wins over it).',
    flag: '-disable-dispatch',
    status: 'ignored',
  }),
  'enable-detect': meta(z.boolean().optional(), {
    description: 'Go: causality detection. Accepted; the MySQL sink decides.',
    flag: '-enable-detect',
    status: 'ignored',
  }),
  'disable-detect': meta(z.boolean().optional(), {
    description: 'Deprecated inverse of enable-detect (wins over it).',
    flag: '-disable-detect',
    status: 'ignored',
  }),
  'safe-mode': meta(z.boolean().default(false), {
    description:
      'Always apply idempotently (REPLACE / delete+insert). Forced on after a crash until the replayed range is passed.',
    flag: '-safe-mode',
  }),
  'load-table-infos': meta(z.boolean().default(false), {
    description:
      'Go: seed the schema from a snapshot. Accepted and ignored (our schema tracker always loads what it needs).',
    flag: '-load-table-infos',
    status: 'ignored',
  }),
  'load-schema-snapshot': meta(z.boolean().default(false), {
    description: 'Name of load-table-infos in the Go master branch. Accepted and ignored.',
    flag: '-load-schema-snapshot',
    status: 'ignored',
  }),
  'case-sensitive': meta(z.boolean().default(false), {
    description: 'Match binlog-filter-rule and route patterns case-sensitively.',
  }),
  'table-migrate-rule': meta(z.array(tableMigrateRuleSchema).default([]), {
    description: 'Binlog-filter rule bindings and rename routes (spec §9.2).',
  }),
  'binlog-filter-rule': meta(z.record(z.string(), binlogFilterRuleSchema).default({}), {
    description: 'Named event filter rules: [syncer.binlog-filter-rule.<name>].',
  }),
  relay: meta(relaySchema.prefault({}), { description: 'Relay log (not supported).' }),
  'batch-bytes': meta(tomlInt.optional(), {
    description: "Runner batch limit in payload bytes (default: the sink's).",
    status: 'extension',
  }),
  'batch-delay-ms': meta(tomlInt.optional(), {
    description: "Send a partial batch after waiting this long (default: the sink's).",
    status: 'extension',
  }),
  to: meta(syncerToSchema.prefault({}), { description: 'The sink section as the Go drainer has it (see below).' }),
});
export type SyncerToml = z.output<typeof syncerSchema>;
