import type { FilterConfig } from '../filter/filter-config.js';
import { defaultListenAddr, defaultNodeId } from './default-addr.js';
import type { CheckpointConfig, DrainerConfig, TlsFiles } from './drainer-config.js';
import type { DrainerToml } from './drainer-toml-schema.js';
import { decryptPassword, secretKeyFromEnv } from './password-cipher.js';
import { splitList } from './schema-helpers.js';
import type { SecurityToml } from './security-schema.js';

export interface ResolveContext {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** `--sink` from the command line (wins over db-type). */
  readonly sinkFlag?: string;
  readonly configFile?: string;
  /** Receives compatibility warnings (never secrets). */
  readonly warn: (message: string) => void;
}

function tlsFiles(s: SecurityToml): TlsFiles | undefined {
  if (s['ssl-ca'] === '') return undefined;
  return {
    ca: s['ssl-ca'],
    ...(s['ssl-cert'] === '' ? {} : { cert: s['ssl-cert'] }),
    ...(s['ssl-key'] === '' ? {} : { key: s['ssl-key'] }),
    allowedCn: s['cert-allowed-cn'],
  };
}

/** disable flag/file > enable flag/file > true (flags already override the file for the same key). */
function enabled(enable: boolean | undefined, disable: boolean | undefined): boolean {
  if (disable !== undefined) return !disable;
  return enable ?? true;
}

function resolveFilter(t: DrainerToml): FilterConfig {
  const s = t.syncer;
  return {
    ignoreTxnCommitTs: s['ignore-txn-commit-ts'],
    // Split exactly as Go does (no trimming: " mysql" is a different name); empty entries are rejected in load.
    ignoreSchemas: s['ignore-schemas'].split(','),
    ignoreTables: s['ignore-table'].map((x) => ({ schema: x['db-name'], table: x['tbl-name'] })),
    // The Go drainer lower-cases do-db/do-table patterns at load (adjustDoDBAndTable); matching is (?i) anyway.
    doDbs: s['replicate-do-db'].map((d) => d.toLowerCase()),
    doTables: s['replicate-do-table'].map((x) => ({
      schema: x['db-name'].toLowerCase(),
      table: x['tbl-name'].toLowerCase(),
    })),
    caseSensitive: s['case-sensitive'],
    tableMigrateRules: s['table-migrate-rule'].map((r) => ({
      binlogFilterRules: r['binlog-filter-rule'] ?? [],
      source: { schema: r.source.schema, table: r.source.table },
      ...(r.target === undefined ? {} : { target: { schema: r.target.schema, table: r.target.table } }),
    })),
    binlogFilterRules: Object.fromEntries(
      Object.entries(s['binlog-filter-rule']).map(([name, r]) => [
        name,
        { ignoreEvent: r['ignore-event'] ?? [], ignoreSql: r['ignore-sql'] ?? [] },
      ]),
    ),
    syncDdl: s['sync-ddl'],
    ...(s['sql-mode'] === undefined ? {} : { sqlMode: s['sql-mode'] }),
  };
}

function resolveCheckpoint(t: DrainerToml, ctx: ResolveContext): CheckpointConfig {
  const cp = t.syncer.to.checkpoint;
  let password = cp.password;
  if (cp.encrypted_password !== '') {
    password = decryptPassword(
      cp.encrypted_password,
      secretKeyFromEnv(ctx.env),
      'syncer.to.checkpoint.encrypted_password',
    );
    const toEncrypted = t.syncer.to['encrypted_password'];
    if (typeof toEncrypted === 'string' && toEncrypted !== '' && toEncrypted !== cp.encrypted_password) {
      // Go v7.1.6 decrypts syncer.to.encrypted_password here (a bug); we use the checkpoint's own value.
      ctx.warn(
        "syncer.to.checkpoint.encrypted_password differs from syncer.to.encrypted_password: the Go drainer would use the latter; we use the checkpoint's own",
      );
    }
  }
  const tls = tlsFiles(cp.security);
  return {
    type: cp.type,
    schema: cp.schema,
    table: cp.table,
    host: cp.host,
    user: cp.user,
    password,
    port: cp.port,
    ...(tls === undefined ? {} : { tls }),
  };
}

function nonEmpty(o: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === '' || v === 0 || v === undefined || (Array.isArray(v) && v.length === 0)) continue;
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      const inner = nonEmpty(v as Record<string, unknown>);
      if (Object.keys(inner).length > 0) out[k] = inner;
      continue;
    }
    out[k] = v;
  }
  return out;
}

function resolveSinkSection(t: DrainerToml, ctx: ResolveContext): Record<string, unknown> {
  const section: Record<string, unknown> = { ...t.syncer.to };
  delete section['checkpoint'];
  const enc = section['encrypted_password'];
  if (typeof enc === 'string' && enc !== '') {
    section['password'] = decryptPassword(enc, secretKeyFromEnv(ctx.env), 'syncer.to.encrypted_password');
  }
  delete section['encrypted_password'];
  return section;
}

/** Applies the Go drainer's derived defaults (addr, node id, advertise-addr, detect-interval 0 → 5). */
export function resolveConfig(t: DrainerToml, ctx: ResolveContext): DrainerConfig {
  const addr = t.addr === '' ? defaultListenAddr() : t.addr;
  const tls = tlsFiles(t.security);
  const s = t.syncer;
  const checkpoint = resolveCheckpoint(t, ctx);
  return {
    ...(ctx.configFile === undefined ? {} : { configFile: ctx.configFile }),
    nodeId: t['node-id'] === '' ? defaultNodeId(addr) : t['node-id'],
    addr,
    advertiseAddr: t['advertise-addr'] === '' ? addr : t['advertise-addr'],
    dataDir: t['data-dir'] === '' ? 'data.drainer' : t['data-dir'],
    detectIntervalSec: t['detect-interval'] === 0 ? 5 : t['detect-interval'],
    pdUrls: splitList(t['pd-urls']),
    logLevel: t['log-level'],
    logFile: t['log-file'],
    initialCommitTs: t['initial-commit-ts'],
    compressor: t.compressor,
    syncedCheckTimeMin: t['synced-check-time'],
    metricsAddr: t['metrics-addr'],
    metricsIntervalSec: t['metrics-interval'],
    pumpAddrs: splitList(t['pump-addrs']),
    tidbStatusAddrs: splitList(t['tidb-status-addrs']),
    clusterId: t['cluster-id'],
    timezone: t.timezone === '' ? Intl.DateTimeFormat().resolvedOptions().timeZone : t.timezone,
    ...(tls === undefined ? {} : { tls }),
    sinkName: ctx.sinkFlag ?? s['db-type'],
    syncer: {
      txnBatch: s['txn-batch'],
      workerCount: s['worker-count'],
      safeMode: s['safe-mode'],
      syncDdl: s['sync-ddl'],
      ...(s['sql-mode'] === undefined ? {} : { sqlMode: s['sql-mode'] }),
      ...(s['batch-bytes'] === undefined ? {} : { batchBytes: s['batch-bytes'] }),
      ...(s['batch-delay-ms'] === undefined ? {} : { batchDelayMs: s['batch-delay-ms'] }),
      enableDispatch: enabled(s['enable-dispatch'], s['disable-dispatch']),
      enableCausality: enabled(s['enable-detect'], s['disable-detect']),
    },
    filter: resolveFilter(t),
    checkpoint,
    checkpointSection: nonEmpty({ ...t.syncer.to.checkpoint, password: checkpoint.password, encrypted_password: '' }),
    sinkSection: resolveSinkSection(t, ctx),
    sinkOptions: t.sink,
  };
}
