/**
 * Addresses of the real servers that `scripts/services.sh up` starts on loopback. The environment variables and
 * defaults are the script's own; keep the two in step.
 *
 *   DRAINER_TEST_MYSQL_PORT=3306  DRAINER_TEST_ETCD_PORT=2379  DRAINER_TEST_KAFKA_PORT=9092
 *   DRAINER_TEST_REGISTRY_PORT=8081
 */
export interface MysqlServer {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
}

export interface TestServers {
  /** MariaDB 10.11; root without password over TCP. */
  readonly mysql: MysqlServer;
  /** etcd v3 client endpoints, as URLs (`http://127.0.0.1:2379`). */
  readonly etcdEndpoints: readonly string[];
  /** Kafka (KRaft, transactions enabled) bootstrap brokers, as `host:port`. */
  readonly kafkaBrokers: readonly string[];
  /** Base URL of the registry's Confluent-compatible API (append `/subjects`, `/schemas/ids/<id>`, ...). */
  readonly schemaRegistryUrl: string;
}

/** The services bind loopback only; tests never reach another host. */
export const TEST_SERVER_HOST = '127.0.0.1';

export const TEST_SERVER_PORT_ENV = {
  mysql: 'DRAINER_TEST_MYSQL_PORT',
  etcd: 'DRAINER_TEST_ETCD_PORT',
  kafka: 'DRAINER_TEST_KAFKA_PORT',
  registry: 'DRAINER_TEST_REGISTRY_PORT',
} as const;

export type TestServerName = keyof typeof TEST_SERVER_PORT_ENV;

const DEFAULT_PORTS: Readonly<Record<TestServerName, number>> = {
  mysql: 3306,
  etcd: 2379,
  kafka: 9092,
  registry: 8081,
};

/** The port of one server: its environment variable when set, else the script's default. */
export function testServerPort(name: TestServerName, env: NodeJS.ProcessEnv = process.env): number {
  const key = TEST_SERVER_PORT_ENV[name];
  const raw = env[key];
  if (raw === undefined || raw === '') return DEFAULT_PORTS[name];
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new RangeError(`${key}=${JSON.stringify(raw)} is not a TCP port (1-65535)`);
  }
  return port;
}

/** Path under the registry's root where Apicurio serves the Confluent Schema Registry v7 API. */
export const CONFLUENT_COMPAT_PATH = '/apis/ccompat/v7';

export function testServers(env: NodeJS.ProcessEnv = process.env): TestServers {
  const host = TEST_SERVER_HOST;
  return {
    mysql: { host, port: testServerPort('mysql', env), user: 'root', password: '' },
    etcdEndpoints: [`http://${host}:${testServerPort('etcd', env)}`],
    kafkaBrokers: [`${host}:${testServerPort('kafka', env)}`],
    schemaRegistryUrl: `http://${host}:${testServerPort('registry', env)}${CONFLUENT_COMPAT_PATH}`,
  };
}
