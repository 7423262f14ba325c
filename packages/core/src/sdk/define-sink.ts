import type { z } from 'zod';
import type { Sink, SinkCapabilities } from './sink.js';

/** Settings outside the sink's own section that a sink honours (from `[syncer]` and the top level of drainer.toml). */
export interface SinkEnv {
  /** The name the sink was selected with (`db-type` or `--sink`), e.g. `mysql` or `tidb` for the same sink. */
  readonly dbType: string;
  /** `[syncer] worker-count`: parallel appliers (default 16). */
  readonly workerCount: number;
  /** `[syncer] txn-batch`: rows per downstream statement batch (default 20). */
  readonly txnBatch: number;
  /** `[syncer] safe-mode`: always apply idempotently (REPLACE / delete+insert). */
  readonly safeMode: boolean;
  /** `[syncer] sql-mode` for DDL execution, when set. */
  readonly sqlMode?: string;
  /** IANA zone used to render TIMESTAMP values for sinks that render local time (default: the process zone). */
  readonly timezone: string;
}

/**
 * A sink type: its name, its config schema (a zod object: defaults, descriptions, unknown keys rejected) and a
 * factory. `config` is the sink's section of drainer.toml after validation: `[syncer.to]` as the Go drainer has
 * it, merged with `[sink]` for options the Go drainer does not have.
 */
export interface SinkDefinition<C = unknown> {
  /** Lower-case name used by `--sink` and `db-type`. */
  readonly type: string;
  /** Other names accepted for `--sink` / `db-type` (e.g. `tidb` for the MySQL sink, `pb` for the file sink). */
  readonly aliases?: readonly string[];
  readonly description: string;
  readonly configSchema: z.ZodType<C>;
  create(config: C, env: SinkEnv): Sink;
}

const SINK_TYPE = /^[a-z][a-z0-9-]*$/;

/**
 * Declares a sink type. Validates the definition's shape once, at load time, and every created sink's
 * capabilities at creation time (so a bad `maxInFlight` fails at startup, not in the middle of a run).
 */
export function defineSink<C>(def: SinkDefinition<C>): SinkDefinition<C> {
  if (!SINK_TYPE.test(def.type)) throw new TypeError(`sink type "${def.type}" must match ${String(SINK_TYPE)}`);
  for (const a of def.aliases ?? []) {
    if (!SINK_TYPE.test(a)) throw new TypeError(`sink alias "${a}" must match ${String(SINK_TYPE)}`);
  }
  const create = def.create.bind(def);
  return Object.freeze({
    ...def,
    create(config: C, env: SinkEnv): Sink {
      const sink = create(config, env);
      validateCapabilities(def.type, sink.capabilities);
      if (sink.capabilities.ownsCheckpoint === true && typeof sink.loadCheckpoint !== 'function') {
        throw new TypeError(`sink "${def.type}" declares ownsCheckpoint but has no loadCheckpoint()`);
      }
      return sink;
    },
  });
}

/** Throws a TypeError naming the sink and the field when capabilities are out of range. */
export function validateCapabilities(type: string, caps: SinkCapabilities): void {
  const positiveInt = (v: number): boolean => Number.isSafeInteger(v) && v >= 1;
  if (!positiveInt(caps.maxInFlight)) throw new TypeError(`sink "${type}": capabilities.maxInFlight must be an integer ≥ 1`);
  const b = caps.defaultBatch;
  if (!positiveInt(b.maxTxns)) throw new TypeError(`sink "${type}": defaultBatch.maxTxns must be an integer ≥ 1`);
  if (!positiveInt(b.maxBytes)) throw new TypeError(`sink "${type}": defaultBatch.maxBytes must be an integer ≥ 1`);
  if (!(Number.isFinite(b.maxDelayMs) && b.maxDelayMs >= 0)) {
    throw new TypeError(`sink "${type}": defaultBatch.maxDelayMs must be ≥ 0`);
  }
}

/** True when `value` looks like a SinkDefinition (used when loading custom sinks by path or package name). */
export function isSinkDefinition(value: unknown): value is SinkDefinition {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v['type'] === 'string' && typeof v['create'] === 'function' && typeof v['configSchema'] === 'object';
}
