import { ConfigError } from '../errors/drainer-error.js';
import { FLAGS, findFlag, flagEnvNames } from './flag-table.js';
import { parseFlagValue } from './flag-value.js';
import type { TomlTable } from './read-toml.js';

export type ConfigSource = 'file' | 'env' | 'flag';

/**
 * Environment variables for secrets (ours; the Go drainer has only MYSQL_PSWD, which fills an *empty* password).
 * They override the file and are overridden by nothing, since no flag carries a password.
 */
export const SECRET_ENV: readonly { readonly env: string; readonly path: readonly string[] }[] = [
  { env: 'DRAINER_PASSWORD', path: ['syncer', 'to', 'password'] },
  { env: 'DRAINER_CHECKPOINT_PASSWORD', path: ['syncer', 'to', 'checkpoint', 'password'] },
];

export interface SourceInput {
  /** The parsed drainer.toml (empty when there is none). */
  readonly file: TomlTable;
  /** Flags given on the command line: canonical or alias name → text as given. */
  readonly flags: Readonly<Record<string, string>>;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export interface MergedSources {
  readonly raw: TomlTable;
  /** Dotted key → where its value came from (keys absent here are defaults). */
  readonly origins: ReadonlyMap<string, ConfigSource>;
}

function setPath(tree: TomlTable, path: readonly string[], value: unknown): void {
  let node: TomlTable = tree;
  for (const part of path.slice(0, -1)) {
    const next = node[part];
    if (typeof next === 'object' && next !== null && !Array.isArray(next)) {
      node = next as TomlTable;
    } else {
      const created: TomlTable = {};
      node[part] = created;
      node = created;
    }
  }
  node[path[path.length - 1] ?? ''] = value;
}

function deleteOriginsUnder(origins: Map<string, ConfigSource>, path: readonly string[]): void {
  if (path.at(-1) === 'password') origins.delete([...path.slice(0, -1), 'encrypted_password'].join('.'));
}

function collectFileOrigins(node: unknown, prefix: string, out: Map<string, ConfigSource>): void {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return;
  for (const [k, v] of Object.entries(node as TomlTable)) {
    const p = prefix === '' ? k : `${prefix}.${k}`;
    out.set(p, 'file');
    collectFileOrigins(v, p, out);
  }
}

/**
 * Layers the sources with the Go drainer's precedence: defaults < file < env < flags (spec §10.1). Env
 * `BINLOG_SERVER_<FLAG>` applies only to flags not on the command line; secret env vars (SECRET_ENV) override
 * the file. A password from env also drops an `encrypted_password` of the same section, since a later source
 * must win over both spellings.
 */
export function mergeSources(input: SourceInput): MergedSources {
  const raw = structuredClone(input.file);
  const origins = new Map<string, ConfigSource>();
  collectFileOrigins(raw, '', origins);

  const onCli = new Set<string>();
  for (const name of Object.keys(input.flags)) {
    const spec = findFlag(name);
    if (spec === undefined) throw new ConfigError(`unknown flag -${name}`, { key: name });
    onCli.add(spec.name);
  }

  for (const spec of FLAGS) {
    if (spec.path === undefined || onCli.has(spec.name)) continue;
    for (const envName of flagEnvNames(spec)) {
      const text = input.env[envName];
      if (text === undefined || text === '') continue;
      setPath(raw, spec.path, parseFlagValue(spec, text, `env ${envName}`));
      origins.set(spec.path.join('.'), 'env');
      break;
    }
  }
  for (const { env, path } of SECRET_ENV) {
    const text = input.env[env];
    if (text === undefined || text === '') continue;
    setPath(raw, path, text);
    const section = path.slice(0, -1);
    const parent = section.reduce<unknown>((n, k) => (n as TomlTable | undefined)?.[k], raw) as TomlTable | undefined;
    if (parent !== undefined) delete parent['encrypted_password'];
    deleteOriginsUnder(origins, path);
    origins.set(path.join('.'), 'env');
  }
  for (const [name, text] of Object.entries(input.flags)) {
    const spec = findFlag(name);
    if (spec?.path === undefined) continue;
    setPath(raw, spec.path, parseFlagValue(spec, text, `flag -${name}`));
    origins.set(spec.path.join('.'), 'flag');
  }
  return { raw, origins };
}
