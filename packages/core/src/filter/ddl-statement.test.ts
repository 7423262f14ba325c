import { describe, expect, it } from 'vitest';
import { readDdl } from './ddl-statement.js';
import { renameDdl } from './rename-ddl.js';

describe('readDdl: binlog-filter event type (tidb-tools AstToDDLEvent)', () => {
  it.each([
    ['CREATE DATABASE IF NOT EXISTS d', 'create database'],
    ['create schema d', 'create database'],
    ['DROP DATABASE d', 'drop database'],
    ['ALTER DATABASE d CHARACTER SET utf8mb4', 'alter database'],
    ['CREATE TABLE t (id int primary key)', 'create table'],
    ['create temporary table t (a int)', 'create table'],
    ['DROP TABLE IF EXISTS a, b', 'drop table'],
    ['DROP VIEW v', 'drop view'],
    ['CREATE OR REPLACE ALGORITHM = MERGE DEFINER = `root`@`%` SQL SECURITY DEFINER VIEW v AS SELECT 1', 'create view'],
    ['TRUNCATE TABLE t', 'truncate table'],
    ['truncate t', 'truncate table'],
    ['RENAME TABLE a TO b', 'rename table'],
    ['CREATE UNIQUE INDEX i ON t (a)', 'create index'],
    ['DROP INDEX i ON t', 'drop index'],
    ['ALTER TABLE t ADD COLUMN c int', 'alter table'],
    ['ALTER TABLE t ADD PARTITION (PARTITION p3 VALUES LESS THAN (30))', 'alter table'], // Go maps this to alter table too
    ['/* comment */ ALTER TABLE t DROP COLUMN c', 'alter table'],
    ['CREATE SEQUENCE s', undefined],
    ['FLASHBACK TABLE t', undefined],
  ])('%s → %s', (sql, event) => {
    expect(readDdl(sql).event).toBe(event);
  });
});

describe('renameDdl', () => {
  const routes: Record<string, { schema: string; table: string }> = {
    'src.orders': { schema: 'dst', table: 'orders_v2' },
    'src.items': { schema: 'dst', table: 'items' },
    'src.': { schema: 'dst', table: '' },
  };
  const route = (s: string, t: string): { schema: string; table: string } =>
    routes[`${s}.${t}`] ?? (s === 'src' ? { schema: 'dst', table: t } : { schema: s, table: t });
  const rename = (sql: string, schema = 'src', ansi = false): string =>
    renameDdl(sql, readDdl(sql, ansi), schema, route);

  it.each([
    ['CREATE TABLE orders (id int)', 'CREATE TABLE `dst`.`orders_v2` (id int)'],
    ['CREATE TABLE `src`.`orders` (id int)', 'CREATE TABLE `dst`.`orders_v2` (id int)'],
    ['create table if not exists src.orders(id int)', 'create table if not exists `dst`.`orders_v2`(id int)'],
    ['CREATE TABLE items LIKE orders', 'CREATE TABLE `dst`.`items` LIKE `dst`.`orders_v2`'],
    [
      "ALTER TABLE orders ADD COLUMN note varchar(10) DEFAULT 'orders'",
      "ALTER TABLE `dst`.`orders_v2` ADD COLUMN note varchar(10) DEFAULT 'orders'",
    ],
    ['ALTER TABLE orders RENAME COLUMN a TO b', 'ALTER TABLE `dst`.`orders_v2` RENAME COLUMN a TO b'],
    ['ALTER TABLE items RENAME TO orders', 'ALTER TABLE `dst`.`items` RENAME TO `dst`.`orders_v2`'],
    [
      'RENAME TABLE orders TO old_orders, items TO src.items2',
      'RENAME TABLE `dst`.`orders_v2` TO `dst`.`old_orders`, `dst`.`items` TO `dst`.`items2`',
    ],
    ['DROP TABLE IF EXISTS orders, other.t', 'DROP TABLE IF EXISTS `dst`.`orders_v2`, other.t'],
    ['TRUNCATE TABLE orders', 'TRUNCATE TABLE `dst`.`orders_v2`'],
    ['CREATE INDEX idx_orders ON orders (id)', 'CREATE INDEX idx_orders ON `dst`.`orders_v2` (id)'],
    [
      'CREATE TABLE items (o int, FOREIGN KEY (o) REFERENCES orders(id))',
      'CREATE TABLE `dst`.`items` (o int, FOREIGN KEY (o) REFERENCES `dst`.`orders_v2`(id))',
    ],
    ['CREATE DATABASE src', 'CREATE DATABASE `dst`'],
    ['DROP DATABASE IF EXISTS `src`', 'DROP DATABASE IF EXISTS `dst`'],
    ['CREATE TABLE other.t (a int)', 'CREATE TABLE other.t (a int)'],
  ])('%s', (sql, want) => {
    expect(rename(sql)).toBe(want);
  });

  it('keeps identifiers with backticks and odd characters quoted correctly', () => {
    const r = (s: string, t: string): { schema: string; table: string } =>
      t === 'a`b' ? { schema: 'x y', table: 'c`d' } : { schema: s, table: t };
    const sql = 'CREATE TABLE `a``b` (`a``b` int)';
    expect(renameDdl(sql, readDdl(sql), 'db', r)).toBe('CREATE TABLE `x y`.`c``d` (`a``b` int)');
  });

  it('ANSI_QUOTES: double quotes are identifiers', () => {
    expect(rename('CREATE TABLE "orders" ("id" int)', 'src', true)).toBe('CREATE TABLE `dst`.`orders_v2` ("id" int)');
  });

  it('leaves comments, strings and column names alone', () => {
    const sql = "ALTER TABLE orders /* orders */ ADD COLUMN orders int COMMENT 'orders'";
    expect(rename(sql)).toBe("ALTER TABLE `dst`.`orders_v2` /* orders */ ADD COLUMN orders int COMMENT 'orders'");
  });
});
