import { MysqlType } from '@tidb-drainer/core/sdk';
import type { RowChange, Txn } from '@tidb-drainer/core/sdk';
import { describe, expect, it } from 'vitest';
import { makeTable } from '../test-support/make-table.js';
import { EventRouter, partitionOf } from './event-router.js';
import { PositionInertiaHash } from './partition-hash.js';
import { splitKeyChangingUpdates } from './split-update.js';
import { TableMatcher } from './table-matcher.js';
import { isValidTopicRule, substituteTopic } from './topic-expression.js';

const orders = makeTable('shop', 'orders', [
  { name: 'id', type: MysqlType.Long, pk: true },
  { name: 'code', type: MysqlType.Varchar, notNull: true },
  { name: 'v', type: MysqlType.Long },
], { uniques: [{ name: 'uk_code', cols: ['code'] }] });

describe('TiCDC partition hash', () => {
  it('reproduces the spec example: shop.orders id=1001', () => {
    expect(new PositionInertiaHash().write('shop', 'orders').sum32()).toBe(2818657056);
    expect(new PositionInertiaHash().write('id', '1001').sum32()).toBe(284123681);
    const ch: RowChange = { op: 'insert', schema: 'shop', table: 'orders', tableInfo: orders, after: [1001n, 'x', null] };
    expect(partitionOf({ kind: 'index-value' }, ch, 1n, 6, 'UTC')).toBe(5);
    expect(partitionOf({ kind: 'index-value' }, ch, 1n, 3, 'UTC')).toBe(2);
    expect(partitionOf({ kind: 'table' }, ch, 1n, 6, 'UTC')).toBe(0);
    expect(partitionOf({ kind: 'ts' }, ch, 449461310051057667n, 7, 'UTC')).toBe(Number(449461310051057667n % 7n));
    expect(partitionOf({ kind: 'compat' }, ch, 5n, 6, 'UTC')).toBe(0);
  });

  it('columns and named index use the listed columns; NULL hashes as "null"; delete uses the old row', () => {
    const del: RowChange = { op: 'delete', schema: 'shop', table: 'orders', tableInfo: orders, before: [7n, 'abc', null] };
    const h = new PositionInertiaHash().write('shop', 'orders').write('v', 'null').sum32();
    expect(partitionOf({ kind: 'columns', columns: ['v'] }, del, 1n, 10, 'UTC')).toBe(h % 10);
    const h2 = new PositionInertiaHash().write('shop', 'orders').write('code', 'abc').sum32();
    expect(partitionOf({ kind: 'index-value', index: 'uk_code' }, del, 1n, 10, 'UTC')).toBe(h2 % 10);
  });
});

describe('dispatch rules', () => {
  it('first matching rule wins; topic expressions are sanitized', () => {
    const r = new EventRouter(
      [
        { matcher: ['shop.ord*'], topic: 'tidb_{schema}_{table}', partition: 'index-value' },
        { matcher: ['shop.*'], topic: 'shop_all', partition: 'ts' },
      ],
      'dflt', { kind: 'compat' }, false, false,
    );
    expect(r.route('SHOP', 'orders')).toEqual({ topic: 'tidb_SHOP_orders', partitioner: { kind: 'index-value' } });
    expect(r.route('shop', 'items')).toEqual({ topic: 'shop_all', partitioner: { kind: 'ts' } });
    expect(r.route('other', 'x')).toEqual({ topic: 'dflt', partitioner: { kind: 'compat' } });
    expect(substituteTopic('p_{schema}_{table}', 'db-1', 'tä b')).toBe('p_db-1_t__b');
    expect(substituteTopic('{schema}', '.', '')).toBe('_');
    expect(isValidTopicRule('tidb_{schema}', true)).toBe(false);
    expect(isValidTopicRule('tidb_{schema}_{table}', true)).toBe(true);
    expect(isValidTopicRule('bad topic', false)).toBe(false);
  });

  it('table filter: wildcards, classes, negation, case', () => {
    const m = new TableMatcher(['db?.t[0-9]', '!db1.t5'], false);
    expect(m.matches('DB1', 't3')).toBe(true);
    expect(m.matches('db1', 't5')).toBe(false);
    expect(m.matches('db12', 't3')).toBe(false);
    expect(new TableMatcher(['Db.*'], true).matches('db', 'x')).toBe(false);
  });
});

describe('key-changing update split', () => {
  it('splits into delete(old) + insert(new) and orders deletes, updates, inserts', () => {
    const txn: Txn['changes'] = [
      { op: 'insert', schema: 'shop', table: 'orders', tableInfo: orders, after: [9n, 'n', 1n] },
      { op: 'update', schema: 'shop', table: 'orders', tableInfo: orders, before: [1n, 'a', 1n], after: [2n, 'a', 1n] },
      { op: 'update', schema: 'shop', table: 'orders', tableInfo: orders, before: [3n, 'c', 1n], after: [3n, 'c', 2n] },
      { op: 'update', schema: 'shop', table: 'orders', tableInfo: orders, before: [4n, 'd', 1n], after: [4n, 'e', 1n] },
    ];
    const out = splitKeyChangingUpdates(txn, 'UTC');
    expect(out.map((c) => `${c.op}:${String((c.op === 'delete' ? c.before[0] : c.after[0]) as bigint)}`)).toEqual([
      'delete:1', 'delete:4', 'update:3', 'insert:9', 'insert:2', 'insert:4',
    ]);
    const untouched = [txn[2]!];
    expect(splitKeyChangingUpdates(untouched, 'UTC')).toBe(untouched);
  });
});
