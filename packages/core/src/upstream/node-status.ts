import { PumpRegistryError } from './upstream-errors.js';
import { parseJsonLossless, stringifyJsonLossless } from '../util/lossless-json.js';

/** Node states of the binlog registry (tidb-binlog.md §5.5). */
export const NodeStates = ['online', 'pausing', 'paused', 'closing', 'offline'] as const;
export type NodeState = (typeof NodeStates)[number];

/**
 * A pump's or drainer's record under `/tidb-binlog/v1/<kind>/<nodeID>` (§5.2). TSO-valued fields are `bigint`:
 * the JSON is parsed losslessly, since `JSON.parse` rounds TSOs above 2^53.
 */
export interface NodeStatus {
  nodeId: string;
  /** Advertised `host:port`, no scheme. */
  host: string;
  state: NodeState;
  /** Not maintained by Go (written false). */
  isAlive: boolean;
  score: bigint;
  /** `{"labels": {...}}` or null (null in practice). */
  label: { labels: Record<string, string> } | null;
  /** Pump: its sorter watermark; drainer: its checkpoint ts. */
  maxCommitTs: bigint;
  /** Approximate TSO of the last heartbeat. */
  updateTs: bigint;
}

function isNodeState(v: unknown): v is NodeState {
  return typeof v === 'string' && (NodeStates as readonly string[]).includes(v);
}

function toBigInt(v: unknown, field: string, key: string): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  if (v === undefined || v === null) return 0n;
  throw new PumpRegistryError(`node status field ${field} is not an integer`, { key, field }, undefined, false);
}

/** Parses a node status JSON value. `key` is only used to name the record in errors. */
export function parseNodeStatus(text: string, key: string): NodeStatus {
  let raw: unknown;
  try {
    raw = parseJsonLossless(text);
  } catch (err) {
    throw new PumpRegistryError('node status is not valid JSON', { key }, err, false);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new PumpRegistryError('node status is not a JSON object', { key }, undefined, false);
  }
  const o = raw as Record<string, unknown>;
  if (!isNodeState(o.state)) throw new PumpRegistryError(`node status has unknown state ${String(o.state)}`, { key }, undefined, false);
  const labelRaw = o.label;
  let label: NodeStatus['label'] = null;
  if (labelRaw !== null && typeof labelRaw === 'object' && !Array.isArray(labelRaw)) {
    const labels = (labelRaw as Record<string, unknown>).labels;
    const out: Record<string, string> = {};
    if (labels !== null && typeof labels === 'object') for (const [k, v] of Object.entries(labels)) out[k] = String(v);
    label = { labels: out };
  }
  return {
    nodeId: typeof o.nodeId === 'string' ? o.nodeId : '',
    host: typeof o.host === 'string' ? o.host : '',
    state: o.state,
    isAlive: o.isAlive === true,
    score: toBigInt(o.score, 'score', key),
    label,
    maxCommitTs: toBigInt(o.maxCommitTS, 'maxCommitTS', key),
    updateTs: toBigInt(o.updateTS, 'updateTS', key),
  };
}

/** Serialises a node status exactly as Go's encoding/json does for the Go struct (field order, key names, compact). */
export function stringifyNodeStatus(s: NodeStatus): string {
  return stringifyJsonLossless({
    nodeId: s.nodeId,
    host: s.host,
    state: s.state,
    isAlive: s.isAlive,
    score: s.score,
    label: s.label,
    maxCommitTS: s.maxCommitTs,
    updateTS: s.updateTs,
  });
}

/** Root of the binlog registry in PD's etcd (§5.1). */
export const REGISTRY_ROOT = '/tidb-binlog/v1';

/** `<root>/pumps/` — the prefix a drainer lists. */
export function pumpsPrefix(root = REGISTRY_ROOT): string {
  return `${root}/pumps/`;
}

/** Node id from a registry key under `prefix`, or undefined for keys that are not a direct child (ids hold no `/`). */
export function nodeIdFromKey(key: string, prefix: string): string | undefined {
  if (!key.startsWith(prefix)) return undefined;
  const id = key.slice(prefix.length).trim();
  return id === '' || id.includes('/') ? undefined : id;
}
