import { format } from 'mysql2';
import { describe, expect, it } from 'vitest';
import { MysqlType } from '@tidb-drainer/core/sdk';
import type { RowChange } from '@tidb-drainer/core/sdk';
import { del, ins, makeTable, upd } from '../test-support/make-table.js';
import { planStatements } from './plan-statements.js';
import type { Statement } from './plan-statements.js';

const t = makeTable({ name: 't', columns: [{ name: 'id' }, { name: 'b' }, { name: 'a' }], pk: ['id'] });
const plan = (changes: readonly RowChange[], safeMode = false, rowsPerStatement = 100): Statement[] =>
  planStatements(
    changes.map((change, i) => ({ change, commitTs: 400n + BigInt(i) })),
    { safeMode, rowsPerStatement },
  );
const sqlOf = (s: readonly Statement[]): string[] => s.map((x) => x.sql);

describe('statement shapes (spec §8.2)', () => {
  it('INSERT lists writable columns sorted by name, values as placeholders', () => {
    const [s] = plan([ins(t, { id: 1n, b: 2n, a: 3n })]);
    expect(s?.sql).toBe('INSERT INTO `db`.`t`(`a`,`b`,`id`) VALUES(?,?,?)');
    expect(s?.params).toEqual([3n, 2n, 1n]);
    expect(s).toMatchObject({ rows: 1, schema: 'db', table: 't', commitTs: 400n });
  });

  it('UPDATE sets the new values and matches the old primary key, LIMIT 1', () => {
    const [s] = plan([upd(t, { id: 1n, a: 1n, b: 1n }, { id: 7n, a: 2n, b: 3n })]);
    expect(s?.sql).toBe('UPDATE `db`.`t` SET `a` = ?,`b` = ?,`id` = ? WHERE `id` = ? LIMIT 1');
    expect(s?.params).toEqual([2n, 3n, 7n, 1n]);
  });

  it('DELETE matches the primary key, LIMIT 1', () => {
    const [s] = plan([del(t, { id: 5n, a: 1n, b: null })]);
    expect(s?.sql).toBe('DELETE FROM `db`.`t` WHERE `id` = ? LIMIT 1');
    expect(s?.params).toEqual([5n]);
  });

  it('safe mode: insert → REPLACE, update → DELETE old + REPLACE new, delete unchanged', () => {
    const s = plan([ins(t, { id: 1n, a: 1n, b: 1n }), upd(t, { id: 1n, a: 1n, b: 1n }, { id: 2n, a: 1n, b: 1n }), del(t, { id: 2n, a: 1n, b: 1n })], true);
    expect(sqlOf(s)).toEqual([
      'REPLACE INTO `db`.`t`(`a`,`b`,`id`) VALUES(?,?,?)',
      'DELETE FROM `db`.`t` WHERE `id` = ? LIMIT 1',
      'REPLACE INTO `db`.`t`(`a`,`b`,`id`) VALUES(?,?,?)',
      'DELETE FROM `db`.`t` WHERE `id` = ? LIMIT 1',
    ]);
    expect(s.map((x) => x.params)).toEqual([[1n, 1n, 1n], [1n], [1n, 1n, 2n], [2n]]);
  });

  it('quotes identifiers with backticks and doubles backticks inside', () => {
    const odd = makeTable({ schema: 'my`db', name: 'ta`ble', columns: [{ name: 'c`ol' }, { name: 'select' }], pk: ['c`ol'] });
    const s = plan([ins(odd, { 'c`ol': 1n, select: 2n }), del(odd, { 'c`ol': 1n, select: 2n })]);
    expect(sqlOf(s)).toEqual(['INSERT INTO `my``db`.`ta``ble`(`c``ol`,`select`) VALUES(?,?)', 'DELETE FROM `my``db`.`ta``ble` WHERE `c``ol` = ? LIMIT 1']);
  });

  it('uses the routed schema/table of the change, not the TableInfo names', () => {
    const routed: RowChange = { ...ins(t, { id: 1n, a: 1n, b: 1n }), schema: 'dst', table: 't2' };
    expect(plan([routed])[0]?.sql).toBe('INSERT INTO `dst`.`t2`(`a`,`b`,`id`) VALUES(?,?,?)');
  });
});

describe('multi-row statements', () => {
  it('merges consecutive inserts on one table into one INSERT, up to rowsPerStatement', () => {
    const rows = [1n, 2n, 3n, 4n, 5n].map((id) => ins(t, { id, a: id, b: id }));
    const s = plan(rows, false, 2);
    expect(sqlOf(s)).toEqual([
      'INSERT INTO `db`.`t`(`a`,`b`,`id`) VALUES(?,?,?),(?,?,?)',
      'INSERT INTO `db`.`t`(`a`,`b`,`id`) VALUES(?,?,?),(?,?,?)',
      'INSERT INTO `db`.`t`(`a`,`b`,`id`) VALUES(?,?,?)',
    ]);
    expect(s.map((x) => x.rows)).toEqual([2, 2, 1]);
    expect(s.map((x) => x.commitTs)).toEqual([400n, 402n, 404n]);
    expect(s[0]?.params).toEqual([1n, 1n, 1n, 2n, 2n, 2n]);
  });

  it('merges consecutive deletes by a one-column key into IN (…), a composite key into OR', () => {
    const c = makeTable({ name: 'c', columns: [{ name: 'k1' }, { name: 'k2' }, { name: 'v' }], pk: ['k1', 'k2'] });
    const s = plan([del(t, { id: 1n }), del(t, { id: 2n }), del(c, { k1: 1n, k2: 2n, v: 0n }), del(c, { k1: 3n, k2: 4n, v: 0n })]);
    expect(sqlOf(s)).toEqual([
      'DELETE FROM `db`.`t` WHERE `id` IN (?,?)',
      'DELETE FROM `db`.`c` WHERE (`k1` = ? AND `k2` = ?) OR (`k1` = ? AND `k2` = ?)',
    ]);
    expect(s[1]?.params).toEqual([1n, 2n, 3n, 4n]);
  });

  it('never merges across another statement, another table or a different column set', () => {
    const u = makeTable({ name: 'u', columns: [{ name: 'id' }], pk: ['id'] });
    const s = plan([
      ins(t, { id: 1n, a: 1n, b: 1n }),
      ins(u, { id: 1n }),
      ins(t, { id: 2n, a: 1n, b: 1n }),
      upd(t, { id: 2n, a: 1n, b: 1n }, { id: 2n, a: 2n, b: 1n }),
      ins(t, { id: 3n, a: 1n }),
      ins(t, { id: 4n, a: 1n, b: 1n }),
    ]);
    expect(sqlOf(s)).toEqual([
      'INSERT INTO `db`.`t`(`a`,`b`,`id`) VALUES(?,?,?)',
      'INSERT INTO `db`.`u`(`id`) VALUES(?)',
      'INSERT INTO `db`.`t`(`a`,`b`,`id`) VALUES(?,?,?)',
      'UPDATE `db`.`t` SET `a` = ?,`b` = ?,`id` = ? WHERE `id` = ? LIMIT 1',
      'INSERT INTO `db`.`t`(`a`,`id`) VALUES(?,?)',
      'INSERT INTO `db`.`t`(`a`,`b`,`id`) VALUES(?,?,?)',
    ]);
  });
});

describe('merge mode (mergeUpdates)', () => {
  const merged = (changes: readonly RowChange[]): Statement[] =>
    planStatements(
      changes.map((change, i) => ({ change, commitTs: BigInt(i) })),
      { safeMode: false, rowsPerStatement: 100, mergeUpdates: true },
    );
  it('updates keeping their key become one multi-row REPLACE of the new rows; others stay UPDATEs', () => {
    const s = merged([
      upd(t, { id: 1n, a: 1n, b: 1n }, { id: 1n, a: 2n, b: 2n }),
      upd(t, { id: 2n, a: 1n, b: 1n }, { id: 2n, a: 3n, b: 3n }),
      upd(t, { id: 3n, a: 1n, b: 1n }, { id: 4n, a: 1n, b: 1n }),
      upd(t, { id: 5n, a: 1n, b: 1n }, { id: 5n, a: 9n }),
    ]);
    expect(sqlOf(s)).toEqual([
      'REPLACE INTO `db`.`t`(`a`,`b`,`id`) VALUES(?,?,?),(?,?,?)',
      'UPDATE `db`.`t` SET `a` = ?,`b` = ?,`id` = ? WHERE `id` = ? LIMIT 1',
      'UPDATE `db`.`t` SET `a` = ?,`id` = ? WHERE `id` = ? LIMIT 1',
    ]);
    expect(s[0]?.params).toEqual([2n, 2n, 1n, 3n, 3n, 2n]);
  });
});

describe('downstream columns', () => {
  it('drops values of columns the downstream lacks (case-insensitive), keys over them too', () => {
    const w = makeTable({ name: 'w', columns: [{ name: 'ID' }, { name: 'v' }, { name: 'extra' }], pk: ['ID'], uniques: [{ name: 'uk_e', columns: ['extra'] }] });
    const present = new Set(['id', 'v']);
    const s = planStatements(
      [ins(w, { ID: 1n, v: 2n, extra: 3n }), del(w, { ID: 1n, v: 2n, extra: 3n })].map((change) => ({ change, commitTs: 1n })),
      { safeMode: false, rowsPerStatement: 10, downstreamColumns: () => present },
    );
    expect(sqlOf(s)).toEqual(['INSERT INTO `db`.`w`(`ID`,`v`) VALUES(?,?)', 'DELETE FROM `db`.`w` WHERE `ID` = ? LIMIT 1']);
  });
});

describe('WHERE key choice', () => {
  const uk = makeTable({
    name: 'uk',
    columns: [{ name: 'a' }, { name: 'b', nullable: false }, { name: 'c' }, { name: 'd' }],
    uniques: [
      { name: 'uk_a', columns: ['a'] },
      { name: 'uk_b', columns: ['b'] },
    ],
  });

  it('uses the primary key first', () => {
    const both = makeTable({ name: 'p', columns: [{ name: 'id' }, { name: 'u', nullable: false }], pk: ['id'], uniques: [{ name: 'uk', columns: ['u'] }] });
    expect(plan([del(both, { id: 1n, u: 2n })])[0]?.sql).toBe('DELETE FROM `db`.`p` WHERE `id` = ? LIMIT 1');
  });

  it('uses an integer handle primary key that is not in the index list', () => {
    const h = makeTable({ name: 'h', columns: [{ name: 'id' }, { name: 'v' }], pk: ['id'], pkIsHandle: true });
    expect(plan([del(h, { id: 9n, v: 1n })])[0]?.sql).toBe('DELETE FROM `db`.`h` WHERE `id` = ? LIMIT 1');
  });

  it('without a PK: the first unique key whose values are all non-NULL', () => {
    expect(plan([del(uk, { a: 1n, b: 2n, c: 3n, d: null })])[0]?.sql).toBe('DELETE FROM `db`.`uk` WHERE `a` = ? LIMIT 1');
    const s = plan([upd(uk, { a: null, b: 2n, c: 3n, d: null }, { a: 5n, b: 2n, c: 4n, d: null })])[0];
    expect(s?.sql).toBe('UPDATE `db`.`uk` SET `a` = ?,`b` = ?,`c` = ?,`d` = ? WHERE `b` = ? LIMIT 1');
    expect(s?.params).toEqual([5n, 2n, 4n, null, 2n]);
  });

  it('no usable key: every column, NULLs as IS NULL, LIMIT 1; such deletes are never merged', () => {
    const nokey = makeTable({ name: 'n', columns: [{ name: 'x' }, { name: 'y' }] });
    const s = plan([del(nokey, { x: 1n, y: null }), del(nokey, { x: 1n, y: null })]);
    expect(sqlOf(s)).toEqual(['DELETE FROM `db`.`n` WHERE `x` = ? AND `y` IS NULL LIMIT 1', 'DELETE FROM `db`.`n` WHERE `x` = ? AND `y` IS NULL LIMIT 1']);
    expect(s[0]?.params).toEqual([1n]);
    const u = plan([upd(nokey, { x: 1n, y: 2n }, { x: 1n, y: 3n })])[0];
    expect(u?.sql).toBe('UPDATE `db`.`n` SET `x` = ?,`y` = ? WHERE `x` = ? AND `y` = ? LIMIT 1');
  });

  it('generated and hidden columns are never written nor matched; a key over one is skipped', () => {
    const g = makeTable({
      name: 'g',
      columns: [{ name: 'id' }, { name: 'v' }, { name: 'gen', generated: true }, { name: '_V$_idx_0', hidden: true }],
      uniques: [{ name: 'uk_gen', columns: ['gen'] }],
    });
    const s = plan([ins(g, { id: 1n, v: 2n, gen: 3n, _V$_idx_0: 4n }), del(g, { id: 1n, v: 2n, gen: 3n, _V$_idx_0: 4n })]);
    expect(sqlOf(s)).toEqual(['INSERT INTO `db`.`g`(`id`,`v`) VALUES(?,?)', 'DELETE FROM `db`.`g` WHERE `id` = ? AND `v` = ? LIMIT 1']);
  });
});

describe('value binding (spec row-codec §9.5), rendered by mysql2 exactly', () => {
  const types = makeTable({
    name: 'types',
    columns: [
      { name: 'c01_u64', type: MysqlType.LongLong, unsigned: true },
      { name: 'c02_i64', type: MysqlType.LongLong },
      { name: 'c03_dec', type: MysqlType.NewDecimal },
      { name: 'c04_dt', type: MysqlType.Datetime },
      { name: 'c05_ts', type: MysqlType.Timestamp },
      { name: 'c06_date', type: MysqlType.Date },
      { name: 'c07_time', type: MysqlType.Duration },
      { name: 'c08_json', type: MysqlType.Json },
      { name: 'c09_enum', type: MysqlType.Enum },
      { name: 'c10_set', type: MysqlType.Set },
      { name: 'c11_bit', type: MysqlType.Bit },
      { name: 'c12_bin', type: MysqlType.VarString, binary: true },
      { name: 'c13_str', type: MysqlType.Varchar },
      { name: 'c14_float', type: MysqlType.Float },
      { name: 'c15_double', type: MysqlType.Double },
      { name: 'c16_null', type: MysqlType.Long },
      { name: 'c17_year', type: MysqlType.Year },
    ],
  });
  const change = ins(types, {
    c01_u64: 18446744073709551615n,
    c02_i64: -9223372036854775808n,
    c03_dec: { kind: 'decimal', text: '-12345678901234567890.123400', precision: 30, scale: 6 },
    c04_dt: { kind: 'time', type: 'datetime', year: 2024, month: 2, day: 29, hour: 23, minute: 5, second: 9, microsecond: 120000, fsp: 3 },
    c05_ts: { kind: 'time', type: 'timestamp', year: 1970, month: 1, day: 1, hour: 0, minute: 0, second: 1, microsecond: 5, fsp: 6 },
    c06_date: { kind: 'time', type: 'date', year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, microsecond: 0, fsp: 0 },
    c07_time: { kind: 'duration', nanos: -(838n * 3600n + 59n * 60n + 58n) * 1_000_000_000n - 999_000n, fsp: 4 },
    c08_json: { kind: 'json', value: { a: 1n }, text: '{"a": 1, "s": "it\'s"}' },
    c09_enum: { kind: 'enum', index: 2, name: 'b' },
    c10_set: { kind: 'set', mask: 5n, names: ['a', 'c'] },
    c11_bit: 0xffn,
    c12_bin: new Uint8Array([0, 0x27, 0xff]),
    c13_str: "O'Reilly \\ ünïcødé",
    c14_float: Math.fround(0.1),
    c15_double: 1e-300,
    c16_null: null,
    c17_year: 2155n,
  });

  it('binds each type losslessly', () => {
    const [s] = plan([change]);
    expect(s?.sql).toBe(`INSERT INTO \`db\`.\`types\`(${types.columns.map((c) => `\`${c.name}\``).join(',')}) VALUES(${types.columns.map(() => '?').join(',')})`);
    const text = format(s?.sql ?? '', s?.params);
    const values = text.slice(text.indexOf('VALUES(') + 7, -1);
    expect(values).toBe(
      [
        '18446744073709551615',
        '-9223372036854775808',
        '-12345678901234567890.123400',
        "'2024-02-29 23:05:09.120'",
        "'1970-01-01 00:00:01.000005'",
        "'0000-00-00'",
        "'-838:59:58.0009'",
        `'{\\"a\\": 1, \\"s\\": \\"it\\'s\\"}'`,
        '2',
        '5',
        '255',
        "X'0027ff'",
        "'O\\'Reilly \\\\ ünïcødé'",
        '0.10000000149011612',
        '1e-300',
        'NULL',
        '2155',
      ].join(','),
    );
  });

  it('rejects a decimal text that is not a plain number (it is spliced unquoted)', () => {
    const bad = ins(types, { c03_dec: { kind: 'decimal', text: '1; DROP TABLE x', precision: 10, scale: 0 } });
    expect(() => plan([bad])).toThrow(TypeError);
  });

  it('datetime fsp 0 has no fraction; TIME renders hours ≥ 100 and positive values', () => {
    const t2 = makeTable({ name: 'x', columns: [{ name: 'd', type: MysqlType.Datetime }, { name: 'tm', type: MysqlType.Duration }] });
    const [s] = plan([
      ins(t2, {
        d: { kind: 'time', type: 'datetime', year: 9999, month: 12, day: 31, hour: 23, minute: 59, second: 59, microsecond: 999999, fsp: 0 },
        tm: { kind: 'duration', nanos: 100n * 3600n * 1_000_000_000n + 1_500_000_000n, fsp: 1 },
      }),
    ]);
    expect(s?.params).toEqual(['9999-12-31 23:59:59', '100:00:01.5']);
  });
});
