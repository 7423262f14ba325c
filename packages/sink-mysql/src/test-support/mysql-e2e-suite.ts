import type { Connection } from 'mysql2/promise';
import { afterAll, beforeAll } from 'vitest';
import { E2eUpstream } from '@tidb-drainer/testkit';
import type { E2eUpstreamOptions } from '@tidb-drainer/testkit';
import { adminConnection, dropTestState, uniqueDb } from './mariadb.js';

export interface MysqlE2eSuite {
  /** A database name unique to this run. */
  readonly schema: string;
  readonly clusterId: bigint;
  readonly up: E2eUpstream;
  /** A root connection to the test MariaDB (valid inside tests and later hooks). */
  readonly admin: Connection;
}

/**
 * Registers the hooks of a MariaDB end-to-end suite (call inside `describe`): a root connection and the simulated
 * upstream are started before the tests; afterwards the upstream is closed and the suite's database and checkpoint
 * row are dropped. `clusterIdBase` gets a random offset so concurrent runs do not share a checkpoint row.
 */
export function mysqlE2eSuite(o: Omit<E2eUpstreamOptions, 'clusterId'> & { readonly dbPrefix: string; readonly clusterIdBase: bigint }): MysqlE2eSuite {
  const schema = uniqueDb(o.dbPrefix);
  const clusterId = o.clusterIdBase + BigInt(Math.floor(Math.random() * 1e9));
  const { dbPrefix: _db, clusterIdBase: _base, ...upstream } = o;
  const up = new E2eUpstream({ ...upstream, clusterId });
  let admin: Connection | undefined;
  beforeAll(async () => {
    admin = await adminConnection();
    await up.start();
  });
  afterAll(async () => {
    await up.close();
    if (admin === undefined) return;
    await dropTestState(admin, schema, clusterId);
    await admin.end();
  });
  return {
    schema,
    clusterId,
    up,
    get admin(): Connection {
      if (admin === undefined) throw new Error('the MariaDB connection is opened in beforeAll');
      return admin;
    },
  };
}
