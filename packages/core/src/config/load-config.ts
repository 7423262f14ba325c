import { z } from 'zod';
import { ConfigError, ErrorCode } from '../errors/drainer-error.js';
import { mergeSources } from './config-sources.js';
import type { ConfigSource } from './config-sources.js';
import type { DrainerConfig } from './drainer-config.js';
import { drainerTomlSchema } from './drainer-toml-schema.js';
import type { DrainerToml } from './drainer-toml-schema.js';
import { describeUnknownKeys, findUnknownKeys } from './key-check.js';
import type { SchemaNode } from './key-check.js';
import { parseToml, readTomlFile } from './read-toml.js';
import type { TomlTable } from './read-toml.js';
import { resolveConfig } from './resolve-config.js';
import { checkUnsupported } from './unsupported-keys.js';
import { validateAddresses } from './validate-addresses.js';

export interface LoadConfigOptions {
  /** Path of drainer.toml (`--config`). */
  readonly configFile?: string;
  /** TOML text instead of a file (tests, the demo). */
  readonly tomlText?: string;
  /** Command-line flags: canonical or Go alias name → text (see FLAGS). */
  readonly flags?: Readonly<Record<string, string>>;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface LoadedConfig {
  readonly config: DrainerConfig;
  /** The validated file + env + flags, in the file's spelling (for `config print`). */
  readonly toml: DrainerToml;
  /** Dotted key → source, for keys not left at their default. */
  readonly origins: ReadonlyMap<string, ConfigSource>;
  readonly warnings: readonly string[];
}

let cachedSchemaJson: SchemaNode | undefined;
/** The JSON-schema view of drainer.toml (what the unknown-key check and the docs generator walk). */
export function drainerTomlJsonSchema(): SchemaNode {
  cachedSchemaJson ??= z.toJSONSchema(drainerTomlSchema, { unrepresentable: 'any', io: 'input' }) as SchemaNode;
  return cachedSchemaJson;
}

function issuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? String(p) : `.${String(p)}`;
  return out;
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let v = raw;
  for (const p of path) v = typeof v === 'object' && v !== null ? (v as Record<PropertyKey, unknown>)[p] : undefined;
  return v;
}

/** Turns zod issues into one message naming every bad key (`missing required value` when absent). */
export function describeIssues(issues: readonly z.core.$ZodIssue[], raw: unknown): string {
  return issues
    .map((i) => {
      const key = issuePath(i.path);
      const missing = i.code === 'invalid_type' && valueAt(raw, i.path) === undefined;
      return `  ${key === '' ? '(root)' : key}: ${missing ? 'missing required value' : i.message}`;
    })
    .join('\n');
}

/**
 * Loads drainer.toml with the Go drainer's rules: strict keys (unknown ones fail, with the nearest valid key
 * suggested), precedence defaults < file < env < flags, Go defaults and derived values, `encrypted_password`
 * decrypted. Sink keys of `[syncer.to]` and `[sink]` are validated later by `buildSinkConfig`, once the sink is
 * known. Every problem of one kind is reported at once.
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<LoadedConfig> {
  const env = options.env ?? process.env;
  const where = options.configFile ?? (options.tomlText === undefined ? undefined : '<inline>');
  let file: TomlTable = {};
  if (options.configFile !== undefined) file = await readTomlFile(options.configFile);
  else if (options.tomlText !== undefined) file = parseToml(options.tomlText);

  const unknown = findUnknownKeys(file, drainerTomlJsonSchema());
  if (unknown.length > 0) {
    throw new ConfigError(
      `${where ?? 'config'}: unknown configuration key${unknown.length > 1 ? 's' : ''}:\n${describeUnknownKeys(unknown)}`,
      { file: where, keys: unknown.map((u) => u.path) },
      ErrorCode.ConfigUnknownKey,
    );
  }

  const flags = options.flags ?? {};
  const { raw, origins } = mergeSources({ file, flags, env });
  const parsed = drainerTomlSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(`${where ?? 'config'}: invalid configuration:\n${describeIssues(parsed.error.issues, raw)}`, {
      file: where,
      keys: parsed.error.issues.map((i) => issuePath(i.path)),
    });
  }
  const toml = parsed.data;
  const unsupported = checkUnsupported(toml, new Set(origins.keys()));
  if (unsupported.errors.length > 0) {
    throw new ConfigError(
      `${where ?? 'config'}: settings not supported by this drainer:\n${unsupported.errors.map((e) => `  ${e}`).join('\n')}`,
      { file: where },
      ErrorCode.ConfigUnsupportedKey,
    );
  }
  const warnings = [...unsupported.warnings];
  if (flags['log-rotate'] !== undefined) warnings.push('-log-rotate is deprecated and ignored (as in the Go drainer)');
  const sinkFlag = flags['sink'];
  const config = resolveConfig(toml, {
    env,
    ...(sinkFlag === undefined ? {} : { sinkFlag }),
    ...(options.configFile === undefined ? {} : { configFile: options.configFile }),
    warn: (m) => warnings.push(m),
  });
  validateAddresses(config);
  return { config, toml, origins, warnings };
}
