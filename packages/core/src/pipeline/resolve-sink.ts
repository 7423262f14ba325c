import { createRequire } from 'node:module';
import { isAbsolute, resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '../errors/drainer-error.js';
import { isSinkDefinition } from '../sdk/define-sink.js';
import type { SinkDefinition } from '../sdk/define-sink.js';

/** Built-in sink names → the module that provides them. Core never depends on the sink packages: loaded lazily. */
export const BUILTIN_SINKS: Readonly<Record<string, string>> = {
  mysql: '@tidb-drainer/sink-mysql',
  tidb: '@tidb-drainer/sink-mysql',
  mariadb: '@tidb-drainer/sink-mysql',
  kafka: '@tidb-drainer/sink-kafka',
  file: '@tidb-drainer/sink-file',
  pb: '@tidb-drainer/sink-file',
  print: 'core',
  jsonl: 'core',
  null: 'core',
};

export interface ResolvedSink {
  readonly definition: SinkDefinition;
  /** The name as selected (`tidb`, `pb`, `./my-sink.js`…): what SinkEnv.dbType carries. */
  readonly name: string;
  /** Where it was loaded from (package name or file URL), for logs and `drainer check`. */
  readonly from: string;
}

type Importer = (specifier: string) => Promise<unknown>;

function isPath(name: string): boolean {
  return name.startsWith('./') || name.startsWith('../') || isAbsolute(name) || /\.(m?js|cjs|ts)$/.test(name);
}

/** Picks the SinkDefinition out of a module: the default export, else the only (or the matching) named one. */
function pickDefinition(mod: unknown, wanted: string | undefined, from: string): SinkDefinition {
  const m = (mod ?? {}) as Record<string, unknown>;
  const candidates = [m['default'], ...Object.values(m)].filter(isSinkDefinition);
  const unique = [...new Set(candidates)];
  const match =
    wanted === undefined ? undefined : unique.find((d) => d.type === wanted || (d.aliases ?? []).includes(wanted));
  const def = match ?? (isSinkDefinition(m['default']) ? m['default'] : unique.length === 1 ? unique[0] : undefined);
  if (def === undefined) {
    throw new ConfigError(
      `${from} does not export a sink definition${wanted === undefined ? '' : ` for "${wanted}"`} (export default defineSink({...}))`,
      { key: 'sink', module: from },
    );
  }
  return def;
}

function isModuleNotFound(err: unknown, specifier: string): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return false;
  // Only when the missing module is the one we asked for, not one of its own imports.
  return String((err as Error).message).includes(specifier);
}

/**
 * Resolves `--sink` / `db-type` to a SinkDefinition by lazy `import()`:
 * - built-in names (`mysql`/`tidb`, `kafka`, `file`/`pb`, `print`, `jsonl`, `null`) → their package;
 * - a path (`./my-sink.js`, absolute, or ending in .js/.mjs) → that file, relative to `cwd`;
 * - anything else → an npm package, looked up from `cwd` first (the user's project), then from core.
 * The module's default export (or its only exported SinkDefinition) is used. A missing package is a ConfigError
 * telling which package to install.
 */
export async function resolveSink(
  name: string,
  options: { cwd?: string; importer?: Importer; coreSinks?: () => Promise<unknown> } = {},
): Promise<ResolvedSink> {
  const cwd = options.cwd ?? process.cwd();
  const importer: Importer = options.importer ?? ((s) => import(s));
  const lower = name.toLowerCase();
  const builtin = BUILTIN_SINKS[lower];
  if (builtin === 'core') {
    const mod = await (options.coreSinks ?? (() => import('../sinks/index.js')))();
    return { definition: pickDefinition(mod, lower, 'core built-in sinks'), name: lower, from: '@tidb-drainer/core' };
  }
  if (builtin !== undefined) {
    let mod: unknown;
    try {
      mod = await importer(builtin);
    } catch (err) {
      if (isModuleNotFound(err, builtin)) {
        throw new ConfigError(
          `sink "${lower}" needs the package ${builtin}, which is not installed: npm install ${builtin}`,
          { key: 'syncer.db-type', package: builtin },
        );
      }
      throw err;
    }
    return { definition: pickDefinition(mod, lower, builtin), name: lower, from: builtin };
  }
  if (isPath(name)) {
    const url = pathToFileURL(resolvePath(cwd, name)).href;
    let mod: unknown;
    try {
      mod = await importer(url);
    } catch (err) {
      if (isModuleNotFound(err, name.replace(/^\.\//, '')))
        throw new ConfigError(`sink file ${name} not found (resolved from ${cwd})`, { key: 'sink', file: name });
      throw err;
    }
    return { definition: pickDefinition(mod, undefined, name), name, from: url };
  }
  let specifier = name;
  try {
    specifier = pathToFileURL(createRequire(resolvePath(cwd, 'package.json')).resolve(name)).href;
  } catch {
    // Not resolvable from the user's project with CommonJS rules (ESM-only exports, or not installed there):
    // fall back to a bare import resolved from core.
  }
  let mod: unknown;
  try {
    mod = await importer(specifier);
  } catch (err) {
    if (isModuleNotFound(err, name)) {
      throw new ConfigError(
        `unknown sink "${name}": not a built-in (${Object.keys(BUILTIN_SINKS).join(', ')}), not a file, and no npm package of that name is installed`,
        {
          key: 'sink',
        },
      );
    }
    throw err;
  }
  return { definition: pickDefinition(mod, undefined, name), name, from: name };
}
