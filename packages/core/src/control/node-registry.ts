import type { Namespace } from 'etcd3';

import { type NodeStatus, parseNodeStatus, REGISTRY_ROOT, stringifyNodeStatus } from '../upstream/node-status.js';
import { ControlError, ControlErrorCode } from './control-errors.js';

/** The two kinds of node under the registry root (§5.1). */
export type NodeKind = 'pumps' | 'drainers';

/** Go's `EtcdTimeout`: every registry request gets this long. */
export const ETCD_REQUEST_TIMEOUT_MS = 5000;

/** One registry record as listed: the parsed status, or why it could not be parsed. */
export type ListedNode =
  | { readonly kind: 'ok'; readonly key: string; readonly status: NodeStatus }
  | { readonly kind: 'bad'; readonly key: string; readonly error: unknown };

/**
 * The binlog node registry in PD's etcd (§5.1, §5.2), as Go's `node.EtcdRegistry`: `<root>/<kind>/<nodeID>` holds the
 * node status JSON (Go field order, lossless TSOs). `updateNode` reads the key, then creates it
 * (`If(ModRevision == 0) Then Put`) or updates it (`If(ModRevision > 0) Then Put`), so a concurrent delete or create
 * makes the write fail instead of silently racing. No leases: a killed node's record stays as last written.
 *
 * The etcd client (or namespace) is owned by the caller.
 */
export class NodeRegistry {
  readonly root: string;
  private readonly etcd: Namespace;

  constructor(etcd: Namespace, root: string = REGISTRY_ROOT) {
    this.etcd = etcd;
    this.root = root;
  }

  key(kind: NodeKind, nodeId: string): string {
    return `${this.root}/${kind}/${nodeId}`;
  }

  /** Every record under `<root>/<kind>/` (direct children only; ids hold no `/`), in key order. */
  async list(kind: NodeKind, signal?: AbortSignal): Promise<ListedNode[]> {
    const prefix = `${this.root}/${kind}/`;
    let records: Record<string, string>;
    try {
      records = await this.etcd.getAll().prefix(prefix).options(callOptions(signal)).strings();
    } catch (err) {
      throw new ControlError(ControlErrorCode.Registry, `cannot list ${kind} from etcd`, { key: prefix }, err);
    }
    const out: ListedNode[] = [];
    for (const key of Object.keys(records).sort()) {
      const id = key.slice(prefix.length);
      if (id === '' || id.includes('/')) continue;
      try {
        out.push({ kind: 'ok', key, status: parseNodeStatus(records[key] ?? '', key) });
      } catch (error) {
        out.push({ kind: 'bad', key, error });
      }
    }
    return out;
  }

  /** The record of one node, or undefined when there is none. */
  async get(kind: NodeKind, nodeId: string, signal?: AbortSignal): Promise<NodeStatus | undefined> {
    const key = this.key(kind, nodeId);
    let text: string | null;
    try {
      text = await this.etcd.get(key).options(callOptions(signal)).string();
    } catch (err) {
      throw new ControlError(ControlErrorCode.Registry, `cannot read ${key} from etcd`, { key }, err);
    }
    return text === null ? undefined : parseNodeStatus(text, key);
  }

  /** Go's `UpdateNode`: create when absent, update when present (each a compare-and-put transaction). */
  async updateNode(kind: NodeKind, status: NodeStatus, signal?: AbortSignal): Promise<void> {
    const key = this.key(kind, status.nodeId);
    const value = stringifyNodeStatus(status);
    try {
      const opts = callOptions(signal);
      const exists = (await this.etcd.get(key).options(opts).string()) !== null;
      const res = await this.etcd
        .if(key, 'Mod', exists ? '>' : '==', 0)
        .then(this.etcd.put(key).value(value))
        .options(opts)
        .commit();
      if (!res.succeeded)
        throw new Error(`compare-and-put on ${key} lost a race (record ${exists ? 'deleted' : 'created'} meanwhile)`);
    } catch (err) {
      throw new ControlError(
        ControlErrorCode.Registry,
        `cannot write ${key} to etcd`,
        { key, state: status.state },
        err,
      );
    }
  }
}

/** etcd3 takes grpc call options (a deadline), not a signal: an aborted signal fails the request before it starts. */
function callOptions(signal: AbortSignal | undefined): { deadline: number } {
  signal?.throwIfAborted();
  return { deadline: Date.now() + ETCD_REQUEST_TIMEOUT_MS };
}
