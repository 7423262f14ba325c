/**
 * `npm run docs:config`: writes docs/configuration.md from the config schemas and every built-in sink that can be
 * loaded (a sink package that is not built or installed is listed as missing, not silently skipped).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { isSinkDefinition } from '../../sdk/define-sink.js';
import type { SinkDefinition } from '../../sdk/define-sink.js';
import { renderConfigDocs } from './render-config-docs.js';

const MODULES = ['@tidb-drainer/sink-mysql', '@tidb-drainer/sink-kafka', '@tidb-drainer/sink-file'];

async function builtinSinks(): Promise<SinkDefinition[]> {
  const defs = new Set<SinkDefinition>();
  const add = (mod: unknown): void => {
    for (const v of Object.values((mod ?? {}) as Record<string, unknown>)) if (isSinkDefinition(v)) defs.add(v);
  };
  for (const m of MODULES) {
    try {
      add(await import(m));
    } catch (err) {
      process.stderr.write(`docs:config: cannot load ${m} (${(err as Error).message}); its section is omitted\n`);
    }
  }
  add(await import('../../sinks/index.js'));
  return [...defs];
}

const target = fileURLToPath(new URL('../../../../../docs/configuration.md', import.meta.url));
// Formatted with the repository's Prettier settings so `prettier --check` passes on the generated file.
const options = (await resolveConfig(target)) ?? {};
writeFileSync(target, await format(renderConfigDocs(await builtinSinks()), { ...options, parser: 'markdown' }));
process.stdout.write(`wrote ${target}\n`);
