import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'mysql2/promise';
import type { MysqlSinkConfig, SecurityConfig } from '../config/mysql-sink-config.js';
import { decryptPassword } from '../config/decrypt-password.js';

/** mysql2 TLS options from `[syncer.to.security]`; undefined when no CA is configured (plain TCP, as in Go). */
export function tlsOptions(security: SecurityConfig): ConnectionOptions['ssl'] {
  if (security['ssl-ca'] === '') return undefined;
  return {
    ca: readFileSync(security['ssl-ca'], 'utf8'),
    ...(security['ssl-cert'] !== '' ? { cert: readFileSync(security['ssl-cert'], 'utf8') } : {}),
    ...(security['ssl-key'] !== '' ? { key: readFileSync(security['ssl-key'], 'utf8') } : {}),
    rejectUnauthorized: true,
  };
}

/**
 * mysql2 connection options for `[syncer.to]`: utf8mb4, multi-statements (statements of one downstream
 * transaction go in one round trip, as the Go drainer's DSN allows), BIGINT/DECIMAL read back as strings.
 */
export function connectionOptions(config: MysqlSinkConfig): ConnectionOptions {
  const password =
    config.encrypted_password !== '' ? decryptPassword(config.encrypted_password, 'syncer.to.encrypted_password') : config.password;
  const ssl = tlsOptions(config.security);
  return {
    host: config.host,
    port: config.port,
    user: config.user,
    password,
    charset: 'utf8mb4',
    multipleStatements: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
    decimalNumbers: false,
    dateStrings: true,
    connectTimeout: config['connect-timeout-ms'],
    ...(ssl !== undefined ? { ssl } : {}),
  };
}
