import { ConfigError, parseToml, readTomlFile } from '@tidb-drainer/core';
import { parseTimeText, timestampFromZone } from '@tidb-drainer/core/codec';
import { tsoFromPhysical } from '@tidb-drainer/core/sdk';
import { reparoConfigSchema } from './reparo-config.js';
import type { ReparoConfig } from './reparo-config.js';

/** Go's reparo reads `Reparo_<FLAG>` environment variables (flag names with `-` → `_`). */
const ENV_PREFIX = 'Reparo_';
const NUMBER_KEYS = new Set(['txn-batch', 'worker-count', 'progress-interval']);
const BOOL_KEYS = new Set(['safe-mode', 'skip-corrupt']);

function fromEnv(env: Readonly<Record<string, string | undefined>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(reparoConfigSchema.shape)) {
    const name = ENV_PREFIX + key.replaceAll('-', '_');
    const v = env[name] ?? env[name.toUpperCase()];
    if (v === undefined || v === '') continue;
    out[key] = NUMBER_KEYS.has(key) ? Number(v) : BOOL_KEYS.has(key) ? v === 'true' || v === '1' : v;
  }
  return out;
}

/**
 * The effective config: reparo.toml (when given), then `Reparo_*` env, then flags (highest). Invalid or unknown
 * keys are a ConfigError naming them.
 */
export async function loadReparoConfig(
  configFile: string | undefined,
  flags: Readonly<Record<string, unknown>>,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<ReparoConfig> {
  const file = configFile === undefined || configFile === '' ? {} : await readTomlFile(configFile);
  const { 'dest-db': fileDb, ...rest } = file as Record<string, unknown>;
  const { 'dest-db': flagDb, ...flagRest } = flags as Record<string, unknown>;
  const input: Record<string, unknown> = { ...rest, ...fromEnv(env), ...flagRest };
  const db = {
    ...((fileDb as Record<string, unknown> | undefined) ?? {}),
    ...((flagDb as Record<string, unknown> | undefined) ?? {}),
  };
  if (Object.keys(db).length > 0) input['dest-db'] = db;
  const parsed = reparoConfigSchema.safeParse(input);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
    throw new ConfigError(`invalid reparo configuration${configFile ? ` (${configFile})` : ''}:\n${lines.join('\n')}`, {
      file: configFile ?? '',
    });
  }
  if (parsed.data['data-dir'] === '') throw new ConfigError('data-dir is required', { key: 'data-dir' });
  return parsed.data;
}

/** TOML text → config (tests). */
export function parseReparoToml(text: string): Record<string, unknown> {
  return parseToml(text);
}

/** The process zone (IANA), used when `timezone` is empty. */
export function localZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** `2006-01-02 15:04:05` in `zone` → TSO with logical 0 (Go `dateTimeToTSO`). */
export function datetimeToTso(text: string, zone: string, key: string): bigint {
  // Go's layout is strict (two-digit fields, a space, no fraction): checked here before core parses the value.
  const wall = DATETIME.test(text.trim()) ? parseTimeText(text.trim(), 'timestamp', 0) : undefined;
  if (wall === undefined)
    throw new ConfigError(`${key}: "${text}" is not a datetime like 2006-01-02 15:04:05`, { key });
  const utc = timestampFromZone(wall, zone);
  return tsoFromPhysical(Date.UTC(utc.year, utc.month - 1, utc.day, utc.hour, utc.minute, utc.second));
}

const DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/** start/stop ts: a datetime, when given, overrides the tso (as in Go). */
export function resolveRange(cfg: ReparoConfig, zone: string): { readonly startTs: bigint; readonly stopTs: bigint } {
  const startTs =
    cfg['start-datetime'] !== '' ? datetimeToTso(cfg['start-datetime'], zone, 'start-datetime') : cfg['start-tso'];
  const stopTs =
    cfg['stop-datetime'] !== '' ? datetimeToTso(cfg['stop-datetime'], zone, 'stop-datetime') : cfg['stop-tso'];
  if (stopTs !== 0n && startTs > stopTs)
    throw new ConfigError(`start (${startTs}) is after stop (${stopTs})`, { key: 'stop-tso' });
  return { startTs, stopTs };
}
