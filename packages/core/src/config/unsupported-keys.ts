import type { DrainerToml } from './drainer-toml-schema.js';

export interface UnsupportedReport {
  /** Settings we cannot honour: startup fails, listing all of them at once. */
  readonly errors: readonly string[];
  /** Settings accepted for compatibility that have no effect here. */
  readonly warnings: readonly string[];
}

/**
 * Per-key decisions for Go drainer settings we do not implement (documented in docs/configuration.md):
 * - error when set to a value that changes what reaches the downstream (relay log, loopback, oracle): silently
 *   ignoring them would replicate something other than what the user asked for;
 * - warning for tuning knobs of the Go MySQL writer (dispatch/causality), `load-table-infos`, `cache-binlog-count`
 *   and the deprecated `log-rotate` flag: ignoring them changes speed, never the data.
 */
export function checkUnsupported(toml: DrainerToml, setKeys: ReadonlySet<string>): UnsupportedReport {
  const errors: string[] = [];
  const warnings: string[] = [];
  const s = toml.syncer;
  if (s.relay['log-dir'] !== '')
    errors.push('syncer.relay.log-dir (-relay-log-dir): relay logs are not supported; remove it');
  if (s['loopback-control'])
    errors.push('syncer.loopback-control (-loopback-control): loopback control is not supported yet; set it to false');
  const dbType = s['db-type'].toLowerCase();
  if (dbType === 'oracle') errors.push('syncer.db-type = "oracle": the Oracle sink is not supported');
  if (dbType === 'flash')
    errors.push('syncer.db-type = "flash": the flash DestDBType is no longer supported (as in the Go drainer)');
  const cp = s.to.checkpoint;
  if (cp.type === 'oracle') errors.push('syncer.to.checkpoint.type = "oracle": Oracle checkpoints are not supported');
  for (const k of ['oracle-service-name', 'oracle-connect-string'] as const) {
    if (cp[k] !== '') errors.push(`syncer.to.checkpoint.${k}: Oracle checkpoints are not supported`);
  }
  for (const k of ['enable-dispatch', 'disable-dispatch', 'enable-detect', 'disable-detect'] as const) {
    if (s[k] !== undefined)
      warnings.push(
        `syncer.${k} is accepted for compatibility and has no effect (the MySQL sink schedules writes itself)`,
      );
  }
  if (s['load-table-infos'] || s['load-schema-snapshot']) {
    warnings.push(
      'syncer.load-table-infos / load-schema-snapshot has no effect (the schema tracker loads table definitions itself)',
    );
  }
  if (setKeys.has('cache-binlog-count'))
    warnings.push('cache-binlog-count has no effect (queues are bounded by bytes)');
  return { errors, warnings };
}
