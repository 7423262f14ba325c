import type { DrainerConfig } from '../config/drainer-config.js';
import { discoverTidbStatusAddresses } from '../schema/tidb-topology.js';
import type { CheckResult } from '../sdk/sink.js';
import type { Etcd3 } from 'etcd3';
import { resolveClusterId } from '../upstream/cluster-id.js';
import { createPdEtcdClient } from '../upstream/pd-etcd-client.js';
import { EtcdPumpRegistry, StaticPumpRegistry } from '../upstream/pump-registry.js';
import type { PumpRegistry } from '../upstream/pump-registry.js';
import { planCheckpoint } from './checkpoint-plan.js';
import type { PreparedSink } from './prepare-sink.js';
import { httpStatus, tcpReachable } from './reachability.js';
import { readTlsFiles } from './tls-files.js';

/** Per probe: PD answers in milliseconds; 5 s is the Go drainer's etcd/PD timeout. */
const PROBE_TIMEOUT_MS = 5_000;

function describeError(err: unknown): string {
  if (err instanceof Error) return err.message + (err.cause instanceof Error ? `: ${err.cause.message}` : '');
  return String(err);
}

/**
 * `drainer check`: what a start would need, without replicating or writing anything — PD (cluster id), the pumps
 * in the registry (TCP), TiDB's status API (DDL history), the checkpoint location, and the sink's own `check()`.
 * Every probe runs even when an earlier one failed, so one run lists every problem.
 */
export async function runChecks(
  config: DrainerConfig,
  prepared: PreparedSink,
  signal: AbortSignal,
): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const add = (name: string, ok: boolean, message: string): void => {
    results.push({ name, ok, message });
  };
  const tls = await readTlsFiles(config.tls, 'security').catch((err: unknown) => {
    add('tls', false, describeError(err));
    return undefined;
  });
  const needEtcd = config.pumpAddrs.length === 0 || config.tidbStatusAddrs.length === 0;
  const etcd = needEtcd ? createPdEtcdClient(config.pdUrls, tls, PROBE_TIMEOUT_MS) : undefined;
  try {
    try {
      const id = await resolveClusterId({
        ...(config.clusterId === 0n ? {} : { configured: config.clusterId }),
        pdUrls: config.pdUrls,
        ...(etcd === undefined ? {} : { etcd }),
        ...(tls === undefined ? {} : { tls }),
        timeoutMs: PROBE_TIMEOUT_MS,
      });
      add(
        'pd',
        true,
        `cluster id ${id}${config.clusterId === 0n ? ` (from ${config.pdUrls.join(',')})` : ' (configured)'}`,
      );
    } catch (err) {
      add('pd', false, describeError(err));
    }

    const registry: PumpRegistry =
      config.pumpAddrs.length > 0
        ? new StaticPumpRegistry(config.pumpAddrs)
        : new EtcdPumpRegistry({ etcd: etcd as Etcd3 });
    try {
      const snap = await registry.list(AbortSignal.any([signal, AbortSignal.timeout(PROBE_TIMEOUT_MS)]));
      const live = [...snap.pumps.values()].filter((p) => p.state !== 'offline');
      if (live.length === 0) add('pumps', false, 'no pump registered (state ≠ offline)');
      for (const p of live) {
        try {
          await tcpReachable(p.host, PROBE_TIMEOUT_MS, signal);
          add(`pump ${p.nodeId}`, true, `${p.host} reachable, state ${p.state}`);
        } catch (err) {
          add(`pump ${p.nodeId}`, false, `${p.host} (state ${p.state}): ${describeError(err)}`);
        }
      }
    } catch (err) {
      add('pumps', false, describeError(err));
    } finally {
      await registry.close();
    }

    let tidbs: readonly string[] = config.tidbStatusAddrs;
    if (tidbs.length === 0 && etcd !== undefined) tidbs = await discoverTidbStatusAddresses(etcd).catch(() => []);
    if (tidbs.length === 0)
      add(
        'tidb',
        false,
        'no TiDB status address (set tidb-status-addrs, or TiDB must register under /topology/tidb in PD)',
      );
    for (const addr of tidbs) {
      const url = `${tls === undefined ? 'http' : 'https'}://${addr}/status`;
      try {
        const status = await httpStatus(url, PROBE_TIMEOUT_MS, signal);
        add(`tidb ${addr}`, status === 200, `GET /status → HTTP ${status}`);
      } catch (err) {
        add(`tidb ${addr}`, false, describeError(err));
      }
    }
  } finally {
    etcd?.close();
  }

  const plan = planCheckpoint(
    config,
    prepared.definition.type,
    prepared.config as Record<string, unknown>,
    prepared.sink.capabilities.ownsCheckpoint === true,
  );
  const where =
    plan.kind === 'file'
      ? `file ${plan.dataDir}/savepoint`
      : plan.kind === 'mysql'
        ? `table ${plan.schema}.${plan.table} on ${plan.host}:${plan.port}`
        : 'stored by the sink with its data';
  add('checkpoint', true, where);

  if (prepared.sink.check === undefined) {
    add(`sink ${prepared.name}`, true, 'the sink has no health check');
  } else {
    try {
      for (const r of await prepared.sink.check(signal)) results.push({ ...r, name: `sink ${r.name}` });
    } catch (err) {
      add(`sink ${prepared.name}`, false, describeError(err));
    }
  }
  return results;
}
