import { MysqlType } from '@tidb-drainer/core/sdk';
import type { TableInfo } from '@tidb-drainer/core/sdk';
import { makeTable } from './make-table.js';

/** The spec examples' table (kafka-encodings §2.8): CREATE TABLE test.person (...). Test-only. */
export function personTable(): TableInfo {
  return makeTable('test', 'person', [
    { name: 'id', type: MysqlType.Long, pk: true },
    { name: 'name', type: MysqlType.Varchar, length: 32 },
    { name: 'age', type: MysqlType.Tiny, unsigned: true, notNull: true, defaultValue: 18n },
    { name: 'balance', type: MysqlType.NewDecimal, length: 10, decimal: 2 },
    { name: 'created', type: MysqlType.Datetime, notNull: true, decimal: 0 },
  ]);
}
