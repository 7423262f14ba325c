import { describe, expect, it } from 'vitest';

import { nodeIdFromKey, parseNodeStatus, pumpsPrefix, stringifyNodeStatus } from './node-status.js';
import { StaticPumpRegistry } from './pump-registry.js';
import { PumpRegistryError } from './upstream-errors.js';

describe('node status and registry keys', () => {
  it('parses Go encoding/json output losslessly and writes it back byte for byte', () => {
    const json = '{"nodeId":"pump-1:8250","host":"10.0.0.1:8250","state":"online","isAlive":false,"score":0,"label":{"labels":{"zone":"a"}},"maxCommitTS":434271871498256385,"updateTS":18446744073709551615}';
    const s = parseNodeStatus(json, 'k');
    expect(s.maxCommitTs).toBe(434271871498256385n);
    expect(s.updateTs).toBe(18446744073709551615n);
    expect(s.label).toEqual({ labels: { zone: 'a' } });
    expect(stringifyNodeStatus(s)).toBe(json);
  });

  it('rejects records it cannot interpret with a typed, non-retryable error naming the key', () => {
    for (const bad of ['not json', '[]', '{"state":"sleeping"}', '{"state":"online","maxCommitTS":1.5}']) {
      let err: unknown;
      try {
        parseNodeStatus(bad, '/tidb-binlog/v1/pumps/x');
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(PumpRegistryError);
      expect((err as PumpRegistryError).details).toMatchObject({ key: '/tidb-binlog/v1/pumps/x' });
      expect((err as PumpRegistryError).retryable).toBe(false);
    }
  });

  it('takes the node id from the key tail (trimmed), ignoring nested keys', () => {
    const prefix = pumpsPrefix();
    expect(prefix).toBe('/tidb-binlog/v1/pumps/');
    expect(nodeIdFromKey(`${prefix} pump-a `, prefix)).toBe('pump-a');
    expect(nodeIdFromKey(`${prefix}a/b`, prefix)).toBeUndefined();
    expect(nodeIdFromKey('/tidb-binlog/v1/drainers/d', prefix)).toBeUndefined();
  });

  it('a static pump list is every address online, with the address as node id', async () => {
    const r = new StaticPumpRegistry(['127.0.0.1:8250', ' http://127.0.0.1:8251 ', '']);
    const snap = await r.list();
    expect([...snap.pumps.keys()]).toEqual(['127.0.0.1:8250', '127.0.0.1:8251']);
    expect([...snap.pumps.values()].every((p) => p.state === 'online' && p.host === p.nodeId)).toBe(true);
  });
});
