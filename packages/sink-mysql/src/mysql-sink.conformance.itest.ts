import { randomBytes } from 'node:crypto';
import type { Connection } from 'mysql2/promise';
import { afterAll, beforeAll } from 'vitest';
import { runSinkConformanceSuite } from '@tidb-drainer/testkit/conformance';
import type { ConformanceTarget } from '@tidb-drainer/testkit/conformance';
import { MysqlSink } from './mysql-sink.js';
import { FaultProxy } from './test-support/fault-proxy.js';
import { adminConnection, MYSQL_HOST, MYSQL_PORT, readTables, sinkConfig, sinkEnv, uniqueDb } from './test-support/mariadb.js';

let admin: Connection;
let proxy: FaultProxy;

beforeAll(async () => {
  admin = await adminConnection();
  proxy = await FaultProxy.start({ host: MYSQL_HOST, port: MYSQL_PORT });
});

afterAll(async () => {
  await proxy.close();
  await admin.end();
});

/**
 * A fresh database and user per test; the sink connects through a fault proxy. Faults are real: a refused
 * connection (open, retryable), a changed password (open, fatal: access denied), a connection cut mid-query
 * (write, retryable), dropped tables (write, fatal: table does not exist).
 */
async function createTarget(exactlyOnce: boolean): Promise<ConformanceTarget> {
  const schema = uniqueDb('conf');
  const user = `u_${randomBytes(4).toString('hex')}`;
  const password = randomBytes(8).toString('hex');
  await admin.query(`CREATE DATABASE \`${schema}\``);
  for (const host of ['localhost', '127.0.0.1']) {
    await admin.query(`CREATE USER '${user}'@'${host}' IDENTIFIED BY '${password}'`);
    await admin.query(`GRANT ALL PRIVILEGES ON *.* TO '${user}'@'${host}'`);
  }
  const config = sinkConfig({ port: proxy.port, user, password, 'exactly-once': exactlyOnce, checkpoint: { schema: `${schema}_cp` } });
  return {
    schema,
    createSink: () => new MysqlSink(config, sinkEnv({ workerCount: 4 })),
    readBack: async () => ({ kind: 'rows', tables: await readTables(admin, schema) }),
    injectFault: async (fault) => {
      if (fault.on === 'open' && fault.kind === 'retryable') proxy.refuseNext();
      else if (fault.on === 'open') {
        for (const host of ['localhost', '127.0.0.1']) await admin.query(`ALTER USER '${user}'@'${host}' IDENTIFIED BY 'changed'`);
      } else if (fault.kind === 'retryable') proxy.breakNextQuery();
      else await admin.query(`DROP TABLE IF EXISTS \`${schema}\`.orders, \`${schema}\`.events`);
    },
    dispose: async () => {
      await admin.query(`DROP DATABASE IF EXISTS \`${schema}\``);
      await admin.query(`DROP DATABASE IF EXISTS \`${schema}_cp\``);
      for (const host of ['localhost', '127.0.0.1']) await admin.query(`DROP USER IF EXISTS '${user}'@'${host}'`);
    },
  };
}

runSinkConformanceSuite({ name: 'mysql (MariaDB)', createTarget: () => createTarget(false) });
runSinkConformanceSuite({ name: 'mysql exactly-once (MariaDB)', createTarget: () => createTarget(true) });
