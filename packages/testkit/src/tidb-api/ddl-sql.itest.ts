import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnection } from 'mysql2/promise';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { assertTestServerReachable } from '../servers/assert-server-reachable.js';
import { testServers } from '../servers/test-servers.js';
import { uniqueName } from '../servers/unique-name.js';
import { tidbCol } from './column-spec.js';
import { allTypesTableSpec, defaultsTableSpec } from './table-models.js';
import { TidbSchemaModel } from './tidb-schema-model.js';

// The fake's DDL text is what DDL binlogs carry and what the MySQL sink executes: MariaDB must accept it.
describe('fake TiDB DDL text on MariaDB', () => {
  const db = uniqueName('tidbddl');
  let conn: Connection | undefined;
  const c = (): Connection => {
    if (conn === undefined) throw new Error('no connection');
    return conn;
  };

  beforeAll(async () => {
    await assertTestServerReachable('mysql');
    const { host, port, user, password } = testServers().mysql;
    conn = await createConnection({ host, port, user, password, database: 'mysql' });
    await c().query(`CREATE DATABASE ${db}`);
    await c().query(`USE ${db}`);
  });
  afterAll(async () => {
    await conn?.query(`DROP DATABASE IF EXISTS ${db}`);
    await conn?.end();
  });

  it('executes CREATE TABLE for all types and key layouts, ADD/MODIFY COLUMN, partitions', async () => {
    const model = new TidbSchemaModel();
    model.createDatabase(db);
    const jobs = [
      model.createTable(db, allTypesTableSpec('t_handle', 'handle')),
      model.createTable(db, allTypesTableSpec('t_clustered', 'clustered')),
      model.createTable(db, allTypesTableSpec('t_rowid', 'rowid')),
      model.createTable(db, defaultsTableSpec('t_defaults')),
      model.createTable(db, {
        name: 't_part',
        primaryKey: ['id'],
        columns: [tidbCol.int('id', { notNull: true })],
        partition: {
          expr: '`id`',
          definitions: [
            { name: 'p0', lessThan: '10' },
            { name: 'p1', lessThan: 'MAXVALUE' },
          ],
        },
      }),
      model.addColumn(db, 't_defaults', tidbCol.bit('flags', 8, { notNull: true, defaultBit: Uint8Array.of(5) })),
      model.addColumn(db, 't_defaults', tidbCol.varchar('note', 16, { default: "it's" })),
      model.modifyColumn(db, 't_defaults', 'note', tidbCol.varchar('note', 64)),
    ];
    for (const job of jobs) await c().query(job.query);
    const [cols] = await c().query<RowDataPacket[]>(
      'SELECT COLUMN_NAME AS n, COLUMN_TYPE AS t FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION',
      [db, 't_defaults'],
    );
    expect(cols.map((r) => [String(r['n']), String(r['t'])])).toEqual([
      ['id', 'int(11)'],
      ['n', 'int(11)'],
      ['s', 'varchar(32)'],
      ['d', 'decimal(10,2)'],
      ['t', 'datetime'],
      ['e', "enum('x','y')"],
      ['flags', 'bit(8)'],
      ['note', 'varchar(64)'],
    ]);
    const [types] = await c().query<RowDataPacket[]>(
      'SELECT COLUMN_TYPE AS t FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION',
      [db, 't_handle'],
    );
    // The same type text the model carries (`ColumnInfo.typeText`), except where MariaDB spells JSON as longtext.
    const modelTypes = model
      .modelTable(db, 't_handle')
      .columns.map((x) => (x.typeText === 'json' ? 'longtext' : x.typeText));
    expect(types.map((r) => String(r['t']))).toEqual(modelTypes);
  });
});
