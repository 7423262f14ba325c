import { tsoToDate } from '../model/commit-ts.js';
import type { NodeStatus } from '../upstream/node-status.js';
import { goTimeString } from './go-log-line.js';

/** Go's `node.Status.String()`: `{NodeID: …, Addr: …, State: …, MaxCommitTS: …, UpdateTime: <updateTS as local time>}`. */
export function nodeString(s: NodeStatus): string {
  return `{NodeID: ${s.nodeId}, Addr: ${s.host}, State: ${s.state}, MaxCommitTS: ${s.maxCommitTs}, UpdateTime: ${goTimeString(tsoToDate(s.updateTs))}}`;
}
