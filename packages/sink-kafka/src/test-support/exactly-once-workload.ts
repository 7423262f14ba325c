import { MysqlType } from '@tidb-drainer/core/sdk';
import type { Txn } from '@tidb-drainer/core/sdk';
import { makeTable } from './make-table.js';
import { txn } from './sink-harness.js';

const t = makeTable('eo', 'rows', [{ name: 'id', type: MysqlType.Long, pk: true }]);

/** The deterministic stream the exactly-once crash test writes: 1000 one-row transactions. */
export function eoTxns(): Txn[] {
  return Array.from({ length: 1000 }, (_, i) => txn(BigInt(10_000 + i) << 18n, [{ op: 'insert', schema: 'eo', table: 'rows', tableInfo: t, after: [BigInt(i)] }]));
}
