import type { Namespace } from 'etcd3';
import { parseJsonLossless } from '../util/lossless-json.js';

/** Where TiDB servers announce themselves in PD's etcd (`infosync`): `/topology/tidb/<ip:port>/info` and `/ttl`. */
export const TIDB_TOPOLOGY_PREFIX = '/topology/tidb/';

/**
 * TiDB status addresses (`host:status_port`) registered in PD's etcd. Each TiDB writes `<prefix><host:port>/info`
 * (JSON with `status_port`) and keeps `<prefix><host:port>/ttl` alive under a lease; servers whose `ttl` key has
 * expired are listed after the live ones (their info key can outlive them), so callers try live servers first.
 */
export async function discoverTidbStatusAddresses(etcd: Namespace): Promise<string[]> {
  const kvs = await etcd.getAll().prefix(TIDB_TOPOLOGY_PREFIX).strings();
  const live: string[] = [];
  const stale: string[] = [];
  for (const [key, value] of Object.entries(kvs)) {
    if (!key.endsWith('/info')) continue;
    const server = key.slice(TIDB_TOPOLOGY_PREFIX.length, -'/info'.length);
    const statusPort = readStatusPort(value);
    if (statusPort === undefined) continue;
    const addr = `${hostOf(server)}:${statusPort}`;
    (kvs[`${TIDB_TOPOLOGY_PREFIX}${server}/ttl`] !== undefined ? live : stale).push(addr);
  }
  return [...live.sort(), ...stale.sort()];
}

function readStatusPort(json: string): number | undefined {
  try {
    const v = parseJsonLossless(json);
    if (typeof v !== 'object' || v === null) return undefined;
    const port = (v as Record<string, unknown>)['status_port'];
    return typeof port === 'number' && Number.isInteger(port) && port > 0 ? port : undefined;
  } catch {
    // A malformed info value is another component's bug; the server is just not usable for DDL lookups.
    return undefined;
  }
}

/** `host` of `host:port` (IPv6 kept in brackets). */
function hostOf(server: string): string {
  const i = server.lastIndexOf(':');
  return i > 0 ? server.slice(0, i) : server;
}
