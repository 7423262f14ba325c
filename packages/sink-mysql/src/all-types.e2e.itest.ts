import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ColumnValue, TableInfo } from '@tidb-drainer/core/sdk';
import { allTypesTableSpec, canonicalRow, encodeInsertRow, timeValue, rowsMutation, startInProcessDrainer, waitUntil } from '@tidb-drainer/testkit';
import { checkpointCommitTs, readTables, syncerToToml } from './test-support/mariadb.js';
import { mysqlE2eSuite } from './test-support/mysql-e2e-suite.js';

const time = timeValue;
const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);

/** Values by column name of `allTypesTableSpec` (TiDB's all-types table): extremes, a NULL row, zero values. */
const ROWS: Readonly<Record<string, ColumnValue>>[] = [
  {
    id: 1n, c_tinyint: -128n, c_tinyint_u: 255n, c_smallint: -32768n, c_smallint_u: 65535n, c_mediumint: -8388608n,
    c_mediumint_u: 16777215n, c_int: -2147483648n, c_int_u: 4294967295n, c_bigint: -9223372036854775808n,
    c_bigint_u: 18446744073709551615n, c_float: Math.fround(-1.5e10), c_double: 1.7976931348623157e308,
    c_decimal: { kind: 'decimal', text: '-99999999999999.999999', precision: 20, scale: 6 },
    c_decimal_wide: { kind: 'decimal', text: '12345678901234567890123456789012345.000000000000000000000000000001', precision: 65, scale: 30 },
    c_date: time('date', 1000, 1, 1, 0, 0, 0, 0, 0), c_datetime: time('datetime', 9999, 12, 31, 23, 59, 59, 0, 0),
    c_datetime6: time('datetime', 2024, 2, 29, 12, 34, 56, 654321, 6), c_timestamp: time('timestamp', 1970, 1, 1, 0, 0, 1, 0, 0),
    c_timestamp3: time('timestamp', 2038, 1, 19, 3, 14, 7, 999000, 3), c_time: { kind: 'duration', nanos: -838n * 3600n * 1_000_000_000n - 3599n * 1_000_000_000n, fsp: 0 },
    c_time6: { kind: 'duration', nanos: 1n * 1000n, fsp: 6 }, c_year: 2155n, c_char: 'ünïcödé',
    c_varchar: "q'uote \\ 😀", c_binary: bytes(0, 1, 2, 3, 4, 5, 6, 0xff), c_varbinary: bytes(0x27, 0x5c, 0),
    c_tinytext: 'tiny', c_text: 't'.repeat(300), c_mediumtext: 'm', c_longtext: 'l', c_tinyblob: bytes(1), c_blob: bytes(2, 3),
    c_mediumblob: bytes(4), c_longblob: bytes(5, 6, 7),
    c_json: { kind: 'json', value: { k: [1n, 2.5, 'x', null, true], n: 9223372036854775807n }, text: '{"k": [1, 2.5, "x", null, true], "n": 9223372036854775807}' },
    c_enum: { kind: 'enum', index: 2, name: 'b' }, c_set: { kind: 'set', mask: 6n, names: ['y', 'z'] }, c_bit: 1023n,
  },
  { id: 2n },
  {
    id: 3n, c_int: 0n, c_float: 0, c_double: -0.5, c_decimal: { kind: 'decimal', text: '0.000000', precision: 20, scale: 6 },
    c_date: time('date', 0, 0, 0, 0, 0, 0, 0, 0), c_datetime: time('datetime', 0, 0, 0, 0, 0, 0, 0, 0),
    c_time: { kind: 'duration', nanos: 0n, fsp: 0 }, c_year: 0n, c_varchar: '', c_varbinary: bytes(), c_set: { kind: 'set', mask: 0n, names: [] },
    c_bit: 0n, c_json: { kind: 'json', value: [], text: '[]' },
  },
];

/**
 * Every column type through the whole path: TiDB-format row bytes in a simulated pump → Drainer (decode) → MySQL
 * sink → MariaDB, read back in canonical text and compared with the model values (NULLs included).
 */
describe('all column types: simulated pump → drainer → MariaDB', () => {
  const suite = mysqlE2eSuite({ dbPrefix: 'alltypes', tmpPrefix: 'sink-mysql-types-', pumps: 1, clusterIdBase: 7_200_000_000_000_000_000n });
  const { schema, clusterId, up } = suite;
  const { dir, model, api } = up;

  it('reads back exactly the model values', async () => {
    const driver = up.cluster.driver({ choose: () => 0 });
    for (const job of [model.createDatabase(schema), model.createTable(schema, allTypesTableSpec('t_all', 'handle'))]) await up.writeDdl(driver, job);
    const table: TableInfo = model.modelTable(schema, 't_all');
    const values = ROWS.map((r) => table.columns.map((c) => (c.name in r ? (r[c.name] ?? null) : null)));
    const last = await up.writeDml(driver, [rowsMutation(table.id, values.map((v) => encodeInsertRow(table, v)))]);
    driver.close();

    const running = await startInProcessDrainer(
      `data-dir = "${join(dir, 'data')}"\nlog-file = "${join(dir, 'drainer.log')}"\ninitial-commit-ts = 0\ntidb-status-addrs = "${api.address}"\n` +
        `[syncer]\ndb-type = "mysql"\n${syncerToToml()}`,
      up.cluster,
    );
    await waitUntil(async () => (await checkpointCommitTs(suite.admin, clusterId)) >= last, Date.now() + 30_000, 100);
    expect((await running.stop()).outcome).toBe('stopped');

    const state = (await readTables(suite.admin, schema))[`${schema}.t_all`] ?? [];
    const got = state
      .map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== null)))
      .sort((a, b) => Number(a['id']) - Number(b['id']));
    expect(got).toEqual(values.map((v) => canonicalRow(table, v)));
  }, 60_000);
});
