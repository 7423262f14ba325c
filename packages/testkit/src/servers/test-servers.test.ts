import { describe, expect, it } from 'vitest';
import { assertServerReachable, TestServerUnreachableError } from './assert-server-reachable.js';
import { testServers } from './test-servers.js';
import { uniqueEtcdPrefix, uniqueName } from './unique-name.js';

describe('testServers', () => {
  it('uses the services.sh defaults', () => {
    expect(testServers({})).toEqual({
      mysql: { host: '127.0.0.1', port: 3306, user: 'root', password: '' },
      etcdEndpoints: ['http://127.0.0.1:2379'],
      kafkaBrokers: ['127.0.0.1:9092'],
      schemaRegistryUrl: 'http://127.0.0.1:8081/apis/ccompat/v7',
    });
  });

  it('reads port overrides from DRAINER_TEST_*_PORT', () => {
    const s = testServers({
      DRAINER_TEST_MYSQL_PORT: '13306',
      DRAINER_TEST_ETCD_PORT: '12379',
      DRAINER_TEST_KAFKA_PORT: '19092',
      DRAINER_TEST_REGISTRY_PORT: '18081',
    });
    expect([s.mysql.port, s.etcdEndpoints[0], s.kafkaBrokers[0], s.schemaRegistryUrl]).toEqual([
      13306,
      'http://127.0.0.1:12379',
      '127.0.0.1:19092',
      'http://127.0.0.1:18081/apis/ccompat/v7',
    ]);
  });

  it('rejects a port that is not one', () => {
    expect(() => testServers({ DRAINER_TEST_KAFKA_PORT: '90920' })).toThrow(/DRAINER_TEST_KAFKA_PORT/);
  });
});

describe('uniqueName', () => {
  it('gives distinct names that are plain SQL identifiers and Kafka topics of at most 64 chars', () => {
    const names = Array.from({ length: 200 }, () => uniqueName('Sink MySQL / ddl-test'));
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n).toMatch(/^t_sink_mysql_ddl_test_[0-9a-f]{10}_[0-9a-z]+$/);
    expect(uniqueName('x'.repeat(200)).length).toBeLessThanOrEqual(64);
    expect(uniqueEtcdPrefix('pumps')).toMatch(/^\/drainer-test\/t_pumps_[0-9a-f]{10}_[0-9a-z]+\/$/);
  });
});

describe('assertServerReachable', () => {
  it('fails with a message that says how to start the servers', async () => {
    // Port 1 (tcpmux) is never served on the test machines.
    const err: unknown = await assertServerReachable('nothing', '127.0.0.1', 1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TestServerUnreachableError);
    expect((err as TestServerUnreachableError).message).toContain('npm run services -- up');
    expect((err as TestServerUnreachableError).details).toMatchObject({
      server: 'nothing',
      host: '127.0.0.1',
      port: 1,
    });
  });
});
