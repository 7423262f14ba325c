import { randomBytes } from 'node:crypto';

/** MySQL identifiers are at most 64 characters; Kafka topics allow 249 but the same name is used for both. */
const MAX_NAME_LENGTH = 64;

let counter = 0;

/**
 * A name no other test run or test file uses at the same time, for a database, a table, a Kafka topic or group, or a
 * part of an etcd key: `t_<purpose>_<random>_<n>`. Only `[a-z0-9_]`, so it needs no quoting in SQL and is a valid
 * Kafka topic. The random part (not a clock) keeps parallel runs on one server apart.
 */
export function uniqueName(purpose: string): string {
  counter += 1;
  const clean =
    purpose
      .toLowerCase()
      .replace(/[^a-z0-9_]+/g, '_')
      .replace(/^_+|_+$/g, '') || 'x';
  const suffix = `_${randomBytes(5).toString('hex')}_${counter.toString(36)}`;
  return `t_${clean.slice(0, MAX_NAME_LENGTH - 2 - suffix.length)}${suffix}`;
}

/** An etcd key prefix private to one test: `/drainer-test/<uniqueName>/`. */
export function uniqueEtcdPrefix(purpose: string): string {
  return `/drainer-test/${uniqueName(purpose)}/`;
}
