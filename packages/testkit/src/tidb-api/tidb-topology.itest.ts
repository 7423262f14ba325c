import { randomUUID } from 'node:crypto';
import { Etcd3 } from 'etcd3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SchemaTracker, StatusApiSource, discoverTidbStatusAddresses } from '@tidb-drainer/core';
import { testEtcdUrl } from '../pump-sim/pump-cluster.js';
import { tidbCol } from './column-spec.js';
import { FakeTidbStatusApi } from './fake-tidb-status-api.js';
import { TidbSchemaModel } from './tidb-schema-model.js';
import { TidbTopologyRegistration } from './tidb-topology-registration.js';

describe('TiDB topology in PD etcd (real etcd from scripts/services.sh)', () => {
  const etcd = new Etcd3({ hosts: testEtcdUrl(), dialTimeout: 3000 });
  // A namespace per run keeps parallel tests and earlier runs out of each other's way.
  const ns = etcd.namespace(`/drainer-test-${randomUUID()}`);
  const model = new TidbSchemaModel();
  const api = new FakeTidbStatusApi({ model });

  beforeAll(async () => {
    try {
      await etcd.get('/health-probe').string();
    } catch (err) {
      throw new Error(
        `etcd is not reachable at ${testEtcdUrl()} — start it with \`bash scripts/services.sh up\` (${String(err)})`,
      );
    }
    await api.start();
  });
  afterAll(async () => {
    await ns.delete().all();
    await api.close();
    etcd.close();
  });

  it('registers like TiDB, is discovered, serves the DDL history, and disappears on close', async () => {
    model.createDatabase('d');
    const create = model.createTable('d', {
      name: 't',
      primaryKey: ['id'],
      columns: [tidbCol.int('id', { notNull: true })],
    });
    const live = new TidbTopologyRegistration(ns, {
      sqlAddress: '127.0.0.1:4000',
      statusPort: api.port,
      ttlSeconds: 10,
    });
    await live.register();
    // A TiDB that died: its info key is left without the ttl key; it is listed after the live one.
    await ns.put('/topology/tidb/10.0.0.9:4000/info').value('{"status_port":10080}');
    expect(JSON.parse((await ns.get(live.infoKey).string()) ?? '{}')).toMatchObject({ status_port: api.port });
    expect(await discoverTidbStatusAddresses(ns)).toEqual([api.address, '10.0.0.9:10080']);

    const source = new StatusApiSource({ addresses: () => discoverTidbStatusAddresses(ns), timeoutMs: 2000 });
    const tracker = new SchemaTracker({ source });
    await tracker.advanceTo(create.binlog!.SchemaVersion, new AbortController().signal);
    expect(tracker.tableById(create.table_id)?.name).toBe('t');
    expect((await source.jobById(create.id, new AbortController().signal))?.query).toBe(create.query);

    await live.close();
    expect(await ns.get(live.infoKey).string()).toBeNull();
    expect(await discoverTidbStatusAddresses(ns)).toEqual(['10.0.0.9:10080']);
  });
});
