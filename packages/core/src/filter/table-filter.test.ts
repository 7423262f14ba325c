import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/drainer-error.js';
import { TableFilter } from './table-filter.js';

const none = { doDbs: [], doTables: [], ignoreSchemas: [], ignoreTables: [] };

describe('TableFilter (Go pkg/filter semantics)', () => {
  it.each([
    // [schema, table, skipped]
    ['Fulldb', 't1', false], // do-db, case-insensitive
    ['fulldb_re_x', '', false], // ~regex do-db, database-level DDL
    ['db', 'table_skip', true], // do-table pattern is anchored
    ['db2', 'table', false], // ~table regex is unanchored
    ['db2', 'my_table_2', false],
    ['other', 'table', true], // not in the allow list
  ])('allow list: %s.%s → skip=%s', (schema, table, skip) => {
    const f = new TableFilter({
      ...none,
      doDbs: ['fulldb', '~fulldb_re.*'],
      doTables: [
        { schema: 'db', table: 'table' },
        { schema: 'db2', table: '~table' },
      ],
    });
    expect(f.skip(schema, table)).toBe(skip);
  });

  it('block stage applies after the allow stage', () => {
    const f = new TableFilter({
      ...none,
      doDbs: ['fulldb'],
      doTables: [{ schema: 'db2', table: '~table' }],
      ignoreSchemas: ['db2'],
    });
    expect(f.skip('db2', 'table')).toBe(true);
    expect(f.skip('FULLDB', 'x')).toBe(false);
  });

  it('ignore-table and the default ignore-schemas', () => {
    const f = new TableFilter({
      ...none,
      ignoreSchemas: ['INFORMATION_SCHEMA', 'PERFORMANCE_SCHEMA', 'mysql'],
      ignoreTables: [{ schema: 'test', table: 'log' }],
    });
    expect(f.skip('mysql', 'user')).toBe(true);
    expect(f.skip('information_schema', 'tables')).toBe(true);
    expect(f.skip('Test', 'LOG')).toBe(true);
    expect(f.skip('test', 'log2')).toBe(false);
    expect(f.skip('mysqlx', 'user')).toBe(false);
  });

  it('with only do-table rules, database-level DDL (table "") is skipped, as in Go', () => {
    const f = new TableFilter({ ...none, doTables: [{ schema: 'test', table: 'log' }] });
    expect(f.skip('test', 'log')).toBe(false);
    expect(f.skip('test', '')).toBe(true);
  });

  it('Go quirk: non-~ patterns are regexes without escaping', () => {
    const f = new TableFilter({ ...none, ignoreTables: [{ schema: 'db.1', table: 'a|b' }] });
    expect(f.skip('dbx1', 'a')).toBe(true); // `.` matches any char
    expect(f.skip('db.1', 'aaa_zzz')).toBe(true); // ^a|b$ = starts with a …
    expect(f.skip('db.1', 'zzb')).toBe(true); // … or ends with b
    expect(f.skip('db.1', 'zzz')).toBe(false);
  });

  it('the drainer-filter.toml fixture rules', () => {
    const f = new TableFilter({
      ...none,
      ignoreSchemas: ['INFORMATION_SCHEMA', 'PERFORMANCE_SCHEMA', 'mysql'],
      doDbs: ['~^do_start.*', 'do_name'],
      doTables: [
        { schema: 'test', table: 'do_name' },
        { schema: 'test', table: 'do_ignore_name' },
        { schema: 'test', table: '~^do_start.*' },
      ],
      ignoreTables: [{ schema: 'test', table: 'do_ignore_name' }],
    });
    expect(f.skip('do_start_db', 'anything')).toBe(false);
    expect(f.skip('do_name', 'anything')).toBe(false);
    expect(f.skip('test', 'do_name')).toBe(false);
    expect(f.skip('test', 'do_start_tbl')).toBe(false);
    expect(f.skip('test', 'do_ignore_name')).toBe(true);
    expect(f.skip('test', 'other')).toBe(true);
  });

  it('an invalid regex is a config error naming the key', () => {
    expect(() => new TableFilter({ ...none, doDbs: ['~(unclosed'] })).toThrow(ConfigError);
    expect(() => new TableFilter({ ...none, doDbs: ['~(unclosed'] })).toThrow(/replicate-do-db\[0\]/);
  });
});
