/** Event names of tidb-tools binlog-filter (spec §9.2). `null` stands for Go's NullEvent (unclassified DDL). */
export const DML_EVENTS = ['insert', 'update', 'delete'] as const;
export const DDL_EVENTS = [
  'create database',
  'drop database',
  'alter database',
  'create table',
  'drop table',
  'truncate table',
  'rename table',
  'create index',
  'drop index',
  'create view',
  'drop view',
  'alter table',
  'add table partition',
  'drop table partition',
  'truncate table partition',
] as const;
export const META_EVENTS = ['all', 'all dml', 'all ddl', 'none', 'none dml', 'none ddl'] as const;

export type DmlEventType = (typeof DML_EVENTS)[number];
export type DdlEventType = (typeof DDL_EVENTS)[number];
export type MetaEventType = (typeof META_EVENTS)[number];
export type EventType = DmlEventType | DdlEventType;
/** What may appear in `ignore-event` after normalisation. */
export type RuleEventType = EventType | MetaEventType;

const ALIASES: Readonly<Record<string, RuleEventType>> = {
  'create schema': 'create database',
  'drop schema': 'drop database',
  'alter schema': 'alter database',
};
const ALL = new Set<string>([...DML_EVENTS, ...DDL_EVENTS, ...META_EVENTS]);

/** Go `toEventType`: lower-cases and maps the schema aliases; undefined when the name is not an event type. */
export function toRuleEventType(name: string): RuleEventType | undefined {
  const n = name.toLowerCase();
  const alias = ALIASES[n];
  if (alias !== undefined) return alias;
  return ALL.has(n) ? (n as RuleEventType) : undefined;
}

export function isDmlEvent(e: EventType): e is DmlEventType {
  return (DML_EVENTS as readonly string[]).includes(e);
}
