import { defineSink } from '@tidb-drainer/core/sdk';
import { mysqlSinkConfigSchema } from './config/mysql-sink-config.js';
import type { MysqlSinkConfig } from './config/mysql-sink-config.js';
import { MysqlSink } from './mysql-sink.js';

/** `db-type = "mysql"` (also `tidb`, `mariadb`): replicate into MySQL, MariaDB or TiDB. */
export const mysqlSink = defineSink<MysqlSinkConfig>({
  type: 'mysql',
  aliases: ['tidb', 'mariadb'],
  description: 'Replicates rows and DDL into MySQL, MariaDB or TiDB ([syncer.to] as in the Go drainer)',
  configSchema: mysqlSinkConfigSchema,
  create: (config, env) => new MysqlSink(config, env),
});

export default mysqlSink;
export { MysqlSink } from './mysql-sink.js';
export { mysqlSinkConfigSchema } from './config/mysql-sink-config.js';
export type { MysqlSinkConfig } from './config/mysql-sink-config.js';
export { decryptPassword, encryptPassword } from './config/decrypt-password.js';
export { MysqlErrorCode } from './apply/classify-error.js';
export { planStatements } from './sql/plan-statements.js';
export type { Statement, SequencedChange, PlanOptions } from './sql/plan-statements.js';
