import { z } from 'zod';
import { meta, tomlInt, tomlInt64 } from './schema-helpers.js';
import { securitySchema } from './security-schema.js';
import { syncerSchema } from './syncer-schema.js';

/**
 * drainer.toml as a whole (Go `drainer.Config`) plus our extensions. Keys keep the file's spelling (kebab-case,
 * and `encrypted_password` with an underscore as the Go drainer has it); `resolveConfig` turns the result into the
 * camelCase `DrainerConfig` the code uses.
 */
export const drainerTomlSchema = z.strictObject({
  'node-id': meta(z.string().default(''), {
    description: 'Node id registered in etcd.',
    flag: '-node-id',
    defaultText: '"" (hostname:port of addr)',
  }),
  addr: meta(z.string().default(''), {
    description: 'host:port to listen on (gRPC Cistern + HTTP API on one port).',
    flag: '-addr',
    defaultText: '"" (first non-loopback IPv4:8249)',
  }),
  'advertise-addr': meta(z.string().default(''), {
    description: 'host:port written to etcd for pumps and binlogctl.',
    flag: '-advertise-addr',
    defaultText: '"" (= addr)',
  }),
  'data-dir': meta(z.string().default('data.drainer'), {
    description: 'File checkpoint (savepoint) and default file-sink directory.',
    flag: '-data-dir',
  }),
  'detect-interval': meta(tomlInt.default(5), {
    description: 'Seconds between pump list polls (0 → 5).',
    flag: '-detect-interval',
  }),
  'pd-urls': meta(z.string().default('http://127.0.0.1:2379'), {
    description: 'Comma-separated PD (etcd) endpoints.',
    flag: '-pd-urls',
  }),
  'log-level': meta(z.enum(['debug', 'info', 'warn', 'error', 'fatal']).default('info'), {
    description: 'Log level.',
    flag: '-L',
  }),
  'log-file': meta(z.string().default(''), { description: 'Log file (empty: stderr).', flag: '-log-file' }),
  'initial-commit-ts': meta(tomlInt64.default(-1n), {
    description:
      'Start point when there is no checkpoint: -1 = now (a fresh PD TSO); otherwise binlogs with commit ts > this.',
    flag: '-initial-commit-ts',
    defaultText: '-1',
  }),
  compressor: meta(z.enum(['', 'gzip']).default(''), {
    description: 'Compression of the pump → drainer stream: "" or "gzip".',
    flag: '-compressor',
  }),
  'synced-check-time': meta(tomlInt.default(5), {
    description: 'Minutes without new binlogs after which /status reports Synced.',
    flag: '-synced-check-time',
  }),
  'metrics-addr': meta(z.string().default(''), {
    description: 'Prometheus pushgateway (empty: no push; /metrics is always served).',
    flag: '-metrics-addr',
    status: 'extension',
  }),
  'metrics-interval': meta(tomlInt.default(15), {
    description: 'Pushgateway interval in seconds (0 disables push).',
    flag: '-metrics-interval',
    status: 'extension',
  }),
  'cache-binlog-count': meta(tomlInt.default(8), {
    description: 'Go: syncer input channel size. Accepted; the runner bounds memory by bytes.',
    flag: '-cache-binlog-count',
    status: 'extension',
  }),
  'pump-addrs': meta(z.string().default(''), {
    description: "Static comma-separated pump addresses, for setups without PD (empty: read pumps from PD's etcd).",
    flag: '--pump-addrs',
    status: 'extension',
  }),
  'tidb-status-addrs': meta(z.string().default(''), {
    description:
      "Comma-separated TiDB status addresses (host:10080) for DDL history (empty: read /topology/tidb from PD's etcd).",
    flag: '--tidb-status-addrs',
    status: 'extension',
  }),
  'cluster-id': meta(tomlInt64.default(0n), {
    description: 'PD cluster id (0: ask PD). Set it only when PD cannot be reached (static pump-addrs setups).',
    defaultText: '0',
    status: 'extension',
  }),
  timezone: meta(z.string().default(''), {
    description: 'IANA zone for sinks that render TIMESTAMP as local time (empty: the process zone).',
    status: 'extension',
  }),
  security: meta(securitySchema.prefault({}), {
    description: 'TLS to PD, etcd, pumps, TiDB, and for our own listener.',
  }),
  syncer: meta(syncerSchema.prefault({}), { description: 'Replication settings.' }),
  sink: meta(z.record(z.string(), z.unknown()).default({}), {
    description:
      'Options of the selected sink that the Go drainer does not have (validated by the sink; see its section below).',
    status: 'extension',
  }),
});
export type DrainerToml = z.output<typeof drainerTomlSchema>;
/** What a drainer.toml may contain before validation (every key optional). */
export type DrainerTomlInput = z.input<typeof drainerTomlSchema>;
