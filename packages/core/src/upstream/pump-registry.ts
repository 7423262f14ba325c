import type { Namespace, Watcher } from 'etcd3';

import { PumpRegistryError } from './upstream-errors.js';
import { type NodeStatus, nodeIdFromKey, parseNodeStatus, pumpsPrefix, REGISTRY_ROOT } from './node-status.js';

/** A parse failure of one record: reported, the record left out of this snapshot, the rest kept. */
export interface RegistryRecordError {
  readonly key: string;
  readonly error: PumpRegistryError;
}

export interface PumpSnapshot {
  /** Every pump record that parsed, including offline ones, keyed by node id (trimmed, as Go does). */
  readonly pumps: ReadonlyMap<string, NodeStatus>;
  readonly errors: readonly RegistryRecordError[];
}

/**
 * Where the set of pumps comes from. Contract: `list()` returns a full snapshot each time (the caller diffs it);
 * `watch(onChange)` calls `onChange` (no arguments, possibly coalesced) whenever the snapshot may have changed, and
 * returns a function that stops watching. A registry never decides what a state means — `Upstream` does (§4.4).
 */
export interface PumpRegistry {
  list(signal?: AbortSignal): Promise<PumpSnapshot>;
  watch(onChange: () => void, onError: (err: PumpRegistryError) => void): () => void;
  close(): Promise<void>;
}

export interface EtcdPumpRegistryOptions {
  /** An etcd3 client or namespace (tests use `client.namespace('/unique/')` to stay apart). Not closed by us. */
  readonly etcd: Namespace;
  /** Registry root; default `/tidb-binlog/v1`. */
  readonly root?: string;
}

/**
 * Pumps registered in PD's etcd under `<root>/pumps/<nodeID>` (§5.1). Go polls every detect-interval; we also watch
 * the prefix so a state change reaches the merger at once (the caller still polls as a safety net).
 */
export class EtcdPumpRegistry implements PumpRegistry {
  private readonly etcd: Namespace;
  private readonly prefix: string;
  private readonly watchers = new Set<Watcher>();

  constructor(options: EtcdPumpRegistryOptions) {
    this.etcd = options.etcd;
    this.prefix = pumpsPrefix(options.root ?? REGISTRY_ROOT);
  }

  async list(signal?: AbortSignal): Promise<PumpSnapshot> {
    signal?.throwIfAborted();
    let records: Record<string, string>;
    try {
      records = await this.etcd.getAll().prefix(this.prefix).strings();
    } catch (err) {
      throw new PumpRegistryError('cannot list pumps from etcd', { prefix: this.prefix }, err);
    }
    const pumps = new Map<string, NodeStatus>();
    const errors: RegistryRecordError[] = [];
    for (const [key, value] of Object.entries(records)) {
      const id = nodeIdFromKey(key, this.prefix);
      if (id === undefined) continue;
      try {
        const status = parseNodeStatus(value, key);
        pumps.set(id, status);
      } catch (err) {
        errors.push({ key, error: err instanceof PumpRegistryError ? err : new PumpRegistryError('bad pump record', { key }, err, false) });
      }
    }
    return { pumps, errors };
  }

  watch(onChange: () => void, onError: (err: PumpRegistryError) => void): () => void {
    let stopped = false;
    let watcher: Watcher | undefined;
    this.etcd
      .watch()
      .prefix(this.prefix)
      .create()
      .then((w) => {
        if (stopped) {
          void w.cancel().catch(() => undefined);
          return;
        }
        watcher = w;
        this.watchers.add(w);
        w.on('put', () => onChange());
        w.on('delete', () => onChange());
        // etcd3 re-establishes watches itself; a disconnect may have hidden events, so ask for a re-list.
        w.on('connected', () => onChange());
        w.on('error', (err) => onError(new PumpRegistryError('etcd watch on pumps failed', { prefix: this.prefix }, err)));
      })
      .catch((err: unknown) => onError(new PumpRegistryError('cannot watch pumps in etcd', { prefix: this.prefix }, err)));
    return () => {
      stopped = true;
      if (watcher !== undefined) {
        this.watchers.delete(watcher);
        void watcher.cancel().catch(() => undefined);
      }
    };
  }

  async close(): Promise<void> {
    const all = [...this.watchers];
    this.watchers.clear();
    await Promise.allSettled(all.map((w) => w.cancel()));
  }
}

/**
 * A fixed pump list (`--pump-addrs host:port,...`) for setups without PD: every pump is online for ever, its node id
 * is its address. Nothing to watch.
 */
export class StaticPumpRegistry implements PumpRegistry {
  private readonly pumps: ReadonlyMap<string, NodeStatus>;

  constructor(addrs: readonly string[]) {
    const pumps = new Map<string, NodeStatus>();
    for (const raw of addrs) {
      const addr = raw.trim().replace(/^https?:\/\//, '');
      if (addr === '') continue;
      pumps.set(addr, { nodeId: addr, host: addr, state: 'online', isAlive: true, score: 0n, label: null, maxCommitTs: 0n, updateTs: 0n });
    }
    this.pumps = pumps;
  }

  list(signal?: AbortSignal): Promise<PumpSnapshot> {
    signal?.throwIfAborted();
    return Promise.resolve({ pumps: this.pumps, errors: [] });
  }

  watch(): () => void {
    return () => undefined;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
