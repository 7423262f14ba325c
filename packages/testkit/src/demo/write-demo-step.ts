import { encodePrewriteValue } from '@tidb-drainer/core';
import { TableMutationBuilder } from '../encoder/mutation-builder.js';
import type { WorkloadDriver } from '../pump-sim/workload-driver.js';
import { ddlBinlogsFor } from '../tidb-api/ddl-binlog.js';
import type { TidbJobJson, TidbSchemaModel } from '../tidb-api/tidb-schema-model.js';
import { DEMO_SCHEMA } from './demo-workload.js';
import type { DemoStep } from './demo-workload.js';

/**
 * Writes one planned step the way TiDB would: DDL steps become a finished job in the fake TiDB's history (served by
 * the status API) plus its DDL binlog(s); DML steps become one PrewriteValue with a mutation per table, encoded with
 * the table schemas as of now. Returns the commit ts of the (last) binlog written.
 */
export async function writeDemoStep(step: DemoStep, model: TidbSchemaModel, driver: WorkloadDriver): Promise<bigint> {
  switch (step.kind) {
    case 'create-database':
      return writeJob(model.createDatabase(step.name), driver);
    case 'create-table':
      return writeJob(model.createTable(DEMO_SCHEMA, step.spec, step.sql), driver);
    case 'add-column':
      return writeJob(model.addColumn(DEMO_SCHEMA, step.table, step.column), driver);
    case 'dml': {
      const builders = new Map<string, TableMutationBuilder>();
      for (const op of step.ops) {
        let b = builders.get(op.table);
        if (b === undefined) {
          b = new TableMutationBuilder(model.modelTable(DEMO_SCHEMA, op.table));
          builders.set(op.table, b);
        }
        switch (op.op) {
          case 'insert':
            b.insert(op.values);
            break;
          case 'update':
            b.update(op.before, op.after);
            break;
          case 'delete':
            b.delete(op.values);
            break;
        }
      }
      const prewriteValue = encodePrewriteValue({
        schemaVersion: BigInt(model.schemaVersion),
        mutations: [...builders.values()].map((b) => b.build()),
      });
      return (await driver.write({ kind: 'dml', prewriteValue })).commitTs;
    }
  }
}

async function writeJob(job: TidbJobJson, driver: WorkloadDriver): Promise<bigint> {
  let commitTs = 0n;
  for (const b of ddlBinlogsFor(job)) commitTs = (await driver.write(b)).commitTs;
  return commitTs;
}
