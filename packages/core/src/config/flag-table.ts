/**
 * The drainer's command-line flags: every flag of the Go drainer (v7.1.6 plus `load-schema-snapshot` from master)
 * and ours. `path` is the drainer.toml key a flag sets (flags override the file). The Go tool reads each flag also
 * from env `BINLOG_SERVER_<NAME>` (upper case, `-` → `_`) when it is not on the command line; so do we.
 */
export type FlagKind = 'string' | 'int' | 'int64' | 'bool';

export interface FlagSpec {
  /** Canonical name, used as `--name` (and `-name`, Go style). */
  readonly name: string;
  /** Other accepted names (`L` for log-level, `c` for worker-count: the Go tool's only spellings). */
  readonly aliases?: readonly string[];
  readonly kind: FlagKind;
  /** drainer.toml key path the flag sets; undefined for flags that are not config (config, version…). */
  readonly path?: readonly string[];
  readonly description: string;
  /** False for our additions (the Go drainer rejects them). */
  readonly go: boolean;
  /** Accepted and ignored (deprecated in the Go tool too). */
  readonly ignored?: boolean;
}

const S = (name: string, path: readonly string[], description: string, extra: Partial<FlagSpec> = {}): FlagSpec => ({
  name,
  kind: 'string',
  path,
  description,
  go: true,
  ...extra,
});

export const FLAGS: readonly FlagSpec[] = [
  { name: 'config', kind: 'string', description: 'path to the configuration file (drainer.toml)', go: true },
  { name: 'version', aliases: ['V'], kind: 'bool', description: 'print version information and exit', go: true },
  S('node-id', ['node-id'], 'the ID of drainer node (default: hostname:port of addr)'),
  S('addr', ['addr'], "addr (i.e. 'host:port') to listen on for drainer connections"),
  S('advertise-addr', ['advertise-addr'], 'addr to advertise to pumps and binlogctl (default: addr)'),
  S('data-dir', ['data-dir'], 'drainer data directory path (default data.drainer)'),
  {
    name: 'detect-interval',
    kind: 'int',
    path: ['detect-interval'],
    description: "the interval time (in seconds) of detect pumps' status",
    go: true,
  },
  S('pd-urls', ['pd-urls'], 'a comma separated list of PD endpoints'),
  S('log-level', ['log-level'], 'log level: debug, info, warn, error, fatal', { aliases: ['L'] }),
  S('log-file', ['log-file'], 'log file path'),
  S('metrics-addr', ['metrics-addr'], 'prometheus pushgateway address; empty disables push'),
  {
    name: 'metrics-interval',
    kind: 'int',
    path: ['metrics-interval'],
    description: 'prometheus push interval in seconds, 0 disables push',
    go: true,
  },
  {
    name: 'initial-commit-ts',
    kind: 'int64',
    path: ['initial-commit-ts'],
    description: 'start point when there is no checkpoint; -1 = now',
    go: true,
  },
  S('compressor', ['compressor'], "compress the pump → drainer stream: '' or 'gzip'"),
  {
    name: 'txn-batch',
    kind: 'int',
    path: ['syncer', 'txn-batch'],
    description: 'number of binlog events in a transaction batch',
    go: true,
  },
  {
    name: 'loopback-control',
    kind: 'bool',
    path: ['syncer', 'loopback-control'],
    description: 'set mark or not (not supported)',
    go: true,
  },
  { name: 'sync-ddl', kind: 'bool', path: ['syncer', 'sync-ddl'], description: 'sync ddl or not', go: true },
  { name: 'channel-id', kind: 'int', path: ['syncer', 'channel-id'], description: 'sync channel id', go: true },
  S('ignore-schemas', ['syncer', 'ignore-schemas'], 'disable sync those schemas'),
  {
    name: 'worker-count',
    aliases: ['c'],
    kind: 'int',
    path: ['syncer', 'worker-count'],
    description: 'parallel worker count',
    go: true,
  },
  S('dest-db-type', ['syncer', 'db-type'], 'target: mysql, tidb, file, pb, kafka, print, jsonl, null'),
  S('relay-log-dir', ['syncer', 'relay', 'log-dir'], 'path to relay log of syncer (not supported)'),
  {
    name: 'relay-max-file-size',
    kind: 'int',
    path: ['syncer', 'relay', 'max-file-size'],
    description: 'max file size of each relay log',
    go: true,
  },
  {
    name: 'disable-dispatch',
    kind: 'bool',
    path: ['syncer', 'disable-dispatch'],
    description: 'DEPRECATED, use enable-dispatch',
    go: true,
  },
  {
    name: 'enable-dispatch',
    kind: 'bool',
    path: ['syncer', 'enable-dispatch'],
    description: 'enable dispatching sqls of one binlog',
    go: true,
  },
  {
    name: 'safe-mode',
    kind: 'bool',
    path: ['syncer', 'safe-mode'],
    description: 'enable safe mode to make syncer reentrant',
    go: true,
  },
  {
    name: 'disable-detect',
    kind: 'bool',
    path: ['syncer', 'disable-detect'],
    description: 'DEPRECATED, use enable-detect',
    go: true,
  },
  {
    name: 'enable-detect',
    kind: 'bool',
    path: ['syncer', 'enable-detect'],
    description: 'enable detect causality',
    go: true,
  },
  {
    name: 'load-table-infos',
    kind: 'bool',
    path: ['syncer', 'load-table-infos'],
    description: 'load table infos (accepted, no effect)',
    go: true,
  },
  {
    name: 'load-schema-snapshot',
    kind: 'bool',
    path: ['syncer', 'load-schema-snapshot'],
    description: 'master name of load-table-infos (accepted, no effect)',
    go: true,
  },
  {
    name: 'cache-binlog-count',
    kind: 'int',
    path: ['cache-binlog-count'],
    description: 'blurry count of binlogs in cache (accepted, no effect)',
    go: true,
  },
  {
    name: 'synced-check-time',
    kind: 'int',
    path: ['synced-check-time'],
    description: 'minutes without new binlogs before reporting synced',
    go: true,
  },
  { name: 'log-rotate', kind: 'string', description: 'DEPRECATED', go: true, ignored: true },
  // Ours.
  {
    name: 'sink',
    kind: 'string',
    description: 'sink: a built-in name, ./path/to/sink.js or an npm package (overrides db-type)',
    go: false,
  },
  { name: 'config-check', kind: 'bool', description: 'validate the configuration and exit', go: false },
  S('pump-addrs', ['pump-addrs'], 'static comma-separated pump addresses (no PD)', { go: false }),
  { name: 'cluster-id', kind: 'int64', path: ['cluster-id'], description: 'PD cluster id (0: ask PD)', go: false },
  S('tidb-status-addrs', ['tidb-status-addrs'], 'comma-separated TiDB status addresses (host:10080)', { go: false }),
];

const BY_NAME = new Map<string, FlagSpec>();
for (const f of FLAGS) {
  BY_NAME.set(f.name, f);
  for (const a of f.aliases ?? []) BY_NAME.set(a, f);
}

/** The flag spec for a name or alias (`L`, `c`, `V` included). */
export function findFlag(name: string): FlagSpec | undefined {
  return BY_NAME.get(name);
}

/** Env variable the Go tool reads for a flag: `BINLOG_SERVER_PD_URLS`; for aliased flags, the Go name (`BINLOG_SERVER_L`). */
export function flagEnvNames(flag: FlagSpec): string[] {
  const names = [flag.name, ...(flag.aliases ?? [])];
  return names.map((n) => `BINLOG_SERVER_${n.toUpperCase().replace(/-/g, '_')}`);
}
