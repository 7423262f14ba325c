import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Connection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ColumnValue, TableInfo } from '@tidb-drainer/core/sdk';
import {
  allTypesTableSpec,
  canonicalRow,
  E2eUpstream,
  encodeInsertRow,
  rowsMutation,
  startInProcessDrainer,
  timeValue as time,
  waitUntil,
} from '@tidb-drainer/testkit';
import { adminConnection, canonicalRows, mariadb } from '../test-support/mariadb.js';
import { runReparoCli } from './reparo-cli.js';

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);

/** Values by column name of the testkit's all-types table: extremes, an all-NULL row, zero values. */
const ROWS: Readonly<Record<string, ColumnValue>>[] = [
  {
    id: 1n,
    c_tinyint: -128n,
    c_tinyint_u: 255n,
    c_smallint: -32768n,
    c_smallint_u: 65535n,
    c_mediumint: -8388608n,
    c_mediumint_u: 16777215n,
    c_int: -2147483648n,
    c_int_u: 4294967295n,
    c_bigint: -9223372036854775808n,
    c_bigint_u: 18446744073709551615n,
    c_float: Math.fround(3.25e-5),
    c_double: -2.2250738585072014e-308,
    c_decimal: { kind: 'decimal', text: '-99999999999999.999999', precision: 20, scale: 6 },
    c_decimal_wide: {
      kind: 'decimal',
      text: '12345678901234567890123456789012345.000000000000000000000000000001',
      precision: 65,
      scale: 30,
    },
    c_date: time('date', 1000, 1, 1, 0, 0, 0, 0, 0),
    c_datetime: time('datetime', 9999, 12, 31, 23, 59, 59, 0, 0),
    c_datetime6: time('datetime', 2024, 2, 29, 12, 34, 56, 654321, 6),
    c_timestamp: time('timestamp', 1999, 12, 31, 23, 0, 1, 0, 0),
    c_timestamp3: time('timestamp', 2038, 1, 19, 3, 14, 7, 999000, 3),
    c_time: { kind: 'duration', nanos: -(838n * 3600n + 59n * 60n + 59n) * 1_000_000_000n, fsp: 0 },
    c_time6: { kind: 'duration', nanos: 1000n, fsp: 6 },
    c_year: 2155n,
    c_char: 'ünïcödé',
    c_varchar: "q'uote \\ 😀 ; use `x`;",
    c_binary: bytes(0, 1, 2, 3, 4, 5, 6, 0xff),
    c_varbinary: bytes(0x27, 0x5c, 0, 0xc3),
    c_tinytext: 'tiny',
    c_text: 't'.repeat(300),
    c_mediumtext: 'm',
    c_longtext: 'l',
    c_tinyblob: bytes(1),
    c_blob: bytes(0xff, 0xfe),
    c_mediumblob: bytes(4),
    c_longblob: bytes(5, 6, 7),
    c_json: {
      kind: 'json',
      value: { k: [1n, 2.5, 'x', null, true], n: 9223372036854775807n },
      text: '{"k": [1, 2.5, "x", null, true], "n": 9223372036854775807}',
    },
    c_enum: { kind: 'enum', index: 2, name: 'b' },
    c_set: { kind: 'set', mask: 6n, names: ['y', 'z'] },
    c_bit: 1023n,
  },
  { id: 2n },
  {
    id: 3n,
    c_int: 0n,
    c_float: 0,
    c_double: -0.5,
    c_decimal: { kind: 'decimal', text: '0.000000', precision: 20, scale: 6 },
    c_date: time('date', 0, 0, 0, 0, 0, 0, 0, 0),
    c_datetime: time('datetime', 0, 0, 0, 0, 0, 0, 0, 0),
    c_time: { kind: 'duration', nanos: 0n, fsp: 0 },
    c_year: 0n,
    c_varchar: '',
    c_varbinary: bytes(),
    c_set: { kind: 'set', mask: 0n, names: [] },
    c_bit: 0n,
    c_json: { kind: 'json', value: [], text: '[]' },
  },
];

/**
 * Every column type through the whole path: TiDB row bytes in a simulated pump → Drainer (db-type = "file") →
 * pb binlog files → reparo → MariaDB, read back in canonical text and compared with the model values.
 */
describe('all column types: simulated pump → drainer → file sink → reparo → MariaDB', () => {
  const up = new E2eUpstream({ tmpPrefix: 'sink-file-types-', pumps: 1 });
  const { dir, model } = up;
  const schema = `filetypes_${randomBytes(4).toString('hex')}`;
  let admin: Connection;

  beforeAll(async () => {
    admin = await adminConnection();
    await up.start();
  });
  afterAll(async () => {
    await up.close();
    await admin.query(`DROP DATABASE IF EXISTS \`${schema}\``);
    await admin.end();
  });

  it('reads back exactly the model values', async () => {
    const driver = up.cluster.driver({ choose: () => 0 });
    for (const job of [model.createDatabase(schema), model.createTable(schema, allTypesTableSpec('t_all', 'handle'))]) {
      await up.writeDdl(driver, job);
    }
    const table: TableInfo = model.modelTable(schema, 't_all');
    const values = ROWS.map((r) => table.columns.map((c) => (c.name in r ? (r[c.name] ?? null) : null)));
    const rows = values.map((v) => encodeInsertRow(table, v));
    const last = await up.writeDml(driver, [rowsMutation(table.id, rows)]);
    driver.close();

    const data = join(dir, 'data');
    const binlogs = join(dir, 'binlogs');
    const running = await startInProcessDrainer(
      `data-dir = "${data}"\nlog-file = "${join(dir, 'drainer.log')}"\ninitial-commit-ts = 0\ntidb-status-addrs = "${up.api.address}"\n` +
        `[syncer]\ndb-type = "file"\n[syncer.to]\ndir = "${binlogs}"\n`,
      up.cluster,
    );
    const savepointTs = async (): Promise<bigint> =>
      BigInt(/commitTS = (\d+)/.exec(await readFile(join(data, 'savepoint'), 'utf8').catch(() => ''))?.[1] ?? '0');
    await waitUntil(async () => (await savepointTs()) >= last, Date.now() + 30_000, 100);
    expect((await running.stop()).outcome).toBe('stopped');

    let err = '';
    const code = await runReparoCli(
      [
        '-data-dir',
        binlogs,
        '-dest-type',
        'mysql',
        '--dest-host',
        mariadb.host,
        '--dest-port',
        String(mariadb.port),
        '-log-level',
        'error',
      ],
      {
        stdout: { write: () => true },
        stderr: { write: (s: string) => (err += s) },
        env: {},
        signal: new AbortController().signal,
      },
    );
    expect(err).toBe('');
    expect(code).toBe(0);
    const got = (await canonicalRows(admin, schema, 't_all')).sort((a, b) => Number(a['id']) - Number(b['id']));
    expect(got).toEqual(values.map((v) => canonicalRow(table, v)));
  }, 60_000);
});
