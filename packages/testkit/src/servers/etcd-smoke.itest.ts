import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Etcd3 } from 'etcd3';
import type { IKeyValue } from 'etcd3';
import { assertTestServerReachable } from './assert-server-reachable.js';
import { testServers } from './test-servers.js';
import { uniqueEtcdPrefix } from './unique-name.js';

// Proves the etcd of scripts/services.sh with the etcd3 client: put, prefix get, prefix watch.
describe('etcd test server', () => {
  const prefix = uniqueEtcdPrefix('smoke');
  let client: Etcd3 | undefined;
  const etcd = (): Etcd3 => {
    if (client === undefined) throw new Error('no client');
    return client;
  };

  beforeAll(async () => {
    await assertTestServerReachable('etcd');
    client = new Etcd3({ hosts: [...testServers().etcdEndpoints], dialTimeout: 3_000 });
  });

  afterAll(async () => {
    await client?.delete().prefix(prefix);
    client?.close();
  });

  it('puts keys and reads them back by prefix', async () => {
    // A TSO beyond 2^53 stored as text must come back digit for digit.
    await etcd().put(`${prefix}pumps/a`).value('{"nodeId":"a","updateTS":434271871498256385}');
    await etcd().put(`${prefix}pumps/b`).value('{"nodeId":"b"}');
    await etcd().put(`${prefix}other`).value('x');
    const got = await etcd().getAll().prefix(`${prefix}pumps/`).strings();
    expect(got).toEqual({
      [`${prefix}pumps/a`]: '{"nodeId":"a","updateTS":434271871498256385}',
      [`${prefix}pumps/b`]: '{"nodeId":"b"}',
    });
  });

  it('watches a prefix and sees a put and a delete', async () => {
    const watcher = await etcd().watch().prefix(`${prefix}watched/`).create();
    try {
      const events: string[] = [];
      const seen = new Promise<void>((resolve) => {
        const note =
          (kind: string) =>
          (kv: IKeyValue): void => {
            events.push(`${kind} ${kv.key.toString()}`);
            if (events.length === 2) resolve();
          };
        watcher.on('put', note('put'));
        watcher.on('delete', note('delete'));
      });
      await etcd().put(`${prefix}watched/k`).value('v');
      await etcd().put(`${prefix}unwatched`).value('v');
      await etcd().delete().key(`${prefix}watched/k`);
      await seen;
      expect(events).toEqual([`put ${prefix}watched/k`, `delete ${prefix}watched/k`]);
    } finally {
      await watcher.cancel();
    }
  });
});
