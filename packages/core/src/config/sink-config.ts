import { z } from 'zod';
import { ConfigError, ErrorCode } from '../errors/drainer-error.js';
import type { SinkDefinition, SinkEnv } from '../sdk/define-sink.js';
import { suggestKey } from './edit-distance.js';
import type { DrainerConfig } from './drainer-config.js';
import type { SchemaNode } from './key-check.js';
import { GO_SYNCER_TO_KEYS } from './syncer-to-schema.js';

export interface SinkConfigResult<C> {
  readonly config: C;
  readonly warnings: readonly string[];
}

/** The top-level keys a sink's configSchema accepts, or undefined when it is not an object schema. */
export function sinkConfigKeys(def: SinkDefinition): ReadonlySet<string> | undefined {
  try {
    const json = z.toJSONSchema(def.configSchema, { unrepresentable: 'any', io: 'input' }) as SchemaNode;
    return json.properties === undefined ? undefined : new Set(Object.keys(json.properties));
  } catch {
    // A schema zod cannot describe (custom types, transforms on the root): validate it without key checks.
    return undefined;
  }
}

/** The Go drainer's environment fallbacks for empty downstream settings (spec §10.4). */
function goEnvFallbacks(
  def: SinkDefinition,
  env: Readonly<Record<string, string | undefined>>,
): Record<string, unknown> {
  const e = (k: string): string | undefined => (env[k] === undefined || env[k] === '' ? undefined : env[k]);
  const out: Record<string, unknown> = {};
  if (def.type === 'mysql') {
    if (e('MYSQL_HOST') !== undefined) out['host'] = e('MYSQL_HOST');
    if (e('MYSQL_PORT') !== undefined && /^\d+$/.test(e('MYSQL_PORT') ?? '')) out['port'] = Number(e('MYSQL_PORT'));
    if (e('MYSQL_USER') !== undefined) out['user'] = e('MYSQL_USER');
    if (e('MYSQL_PSWD') !== undefined) out['password'] = e('MYSQL_PSWD');
  }
  if (def.type === 'kafka' && e('KAFKA_ADDRS') !== undefined) out['kafka-addrs'] = e('KAFKA_ADDRS');
  return out;
}

function isUnset(v: unknown): boolean {
  return v === undefined || v === '' || v === 0;
}

/**
 * Builds the selected sink's config from `[syncer.to]` (Go keys, as the Go drainer has them) and `[sink]` (ours),
 * validated by the sink's own configSchema. `[syncer.to]` keys the Go drainer knows but this sink does not use
 * are ignored with a warning (Go ignores them silently); keys nobody knows fail with the nearest valid key.
 */
export function buildSinkConfig<C>(
  config: DrainerConfig,
  def: SinkDefinition<C>,
  env: Readonly<Record<string, string | undefined>> = process.env,
): SinkConfigResult<C> {
  const keys = sinkConfigKeys(def);
  const warnings: string[] = [];
  const unknown: string[] = [];
  const input: Record<string, unknown> = {};
  const origin = new Map<string, string>();

  for (const [k, v] of Object.entries(goEnvFallbacks(def as SinkDefinition, env))) {
    if (keys?.has(k) === true && isUnset(config.sinkSection[k])) {
      input[k] = v;
      origin.set(k, 'env');
    }
  }
  for (const [k, v] of Object.entries(config.sinkSection)) {
    if (keys === undefined || keys.has(k)) {
      if (!(origin.get(k) === 'env' && isUnset(v))) input[k] = v;
      if (!origin.has(k)) origin.set(k, `syncer.to.${k}`);
    } else if (k in GO_SYNCER_TO_KEYS) {
      warnings.push(`syncer.to.${k} is not used by the ${def.type} sink; ignored`);
    } else {
      const s = suggestKey(k, [...(keys ?? []), ...Object.keys(GO_SYNCER_TO_KEYS)]);
      unknown.push(
        `  syncer.to.${k}${s === undefined ? '' : ` — did you mean ${s in GO_SYNCER_TO_KEYS ? 'syncer.to' : 'sink'}.${s}?`}`,
      );
    }
  }
  if (keys?.has('checkpoint') === true) {
    input['checkpoint'] = config.checkpointSection;
    origin.set('checkpoint', 'syncer.to.checkpoint');
  }
  for (const [k, v] of Object.entries(config.sinkOptions)) {
    if (keys === undefined || keys.has(k)) {
      if (origin.get(k)?.startsWith('syncer.to.') === true) {
        throw new ConfigError(`sink.${k} and syncer.to.${k} are both set; keep one`, { key: `sink.${k}` });
      }
      input[k] = v;
      origin.set(k, `sink.${k}`);
    } else {
      const s = suggestKey(k, keys ?? []);
      unknown.push(`  sink.${k}${s === undefined ? '' : ` — did you mean sink.${s}?`}`);
    }
  }
  if (unknown.length > 0) {
    throw new ConfigError(
      `unknown key${unknown.length > 1 ? 's' : ''} for the ${def.type} sink:\n${unknown.join('\n')}`,
      { sink: def.type },
      ErrorCode.ConfigUnknownKey,
    );
  }
  const parsed = def.configSchema.safeParse(input);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => {
      const [first, ...rest] = i.path;
      const base = first === undefined ? `${def.type} sink` : (origin.get(String(first)) ?? `sink.${String(first)}`);
      const key = [base, ...rest.map(String)].join('.');
      const missing = i.code === 'invalid_type' && first !== undefined && input[String(first)] === undefined;
      return `  ${key}: ${missing ? 'missing required value' : i.message}`;
    });
    throw new ConfigError(`invalid ${def.type} sink configuration:\n${lines.join('\n')}`, { sink: def.type });
  }
  return { config: parsed.data, warnings };
}

/** The `[syncer]` / top-level settings a sink honours (SinkEnv), with the Go drainer's worker-count rules. */
export function buildSinkEnv(config: DrainerConfig, dbType: string): SinkEnv {
  const s = config.syncer;
  return {
    dbType,
    // Go adjustWorkCount: one worker when dispatch is disabled.
    workerCount: s.enableDispatch ? s.workerCount : 1,
    txnBatch: s.txnBatch,
    safeMode: s.safeMode,
    ...(s.sqlMode === undefined ? {} : { sqlMode: s.sqlMode }),
    timezone: config.timezone,
  };
}
