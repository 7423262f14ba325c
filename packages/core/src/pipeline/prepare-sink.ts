import type { DrainerConfig } from '../config/drainer-config.js';
import { buildSinkConfig, buildSinkEnv } from '../config/sink-config.js';
import type { SinkDefinition } from '../sdk/define-sink.js';
import type { Sink } from '../sdk/sink.js';
import { resolveSink } from './resolve-sink.js';

export interface PreparedSink {
  readonly definition: SinkDefinition;
  /** As selected (`tidb`, `pb`, `./my-sink.js`). */
  readonly name: string;
  readonly from: string;
  /** The sink's validated config. */
  readonly config: unknown;
  readonly sink: Sink;
  readonly warnings: readonly string[];
}

/**
 * Resolves `--sink`/`db-type`, validates its config (`[syncer.to]` + `[sink]`) with the sink's own schema and
 * creates the Sink (not yet opened: the runner opens it).
 */
export async function prepareSink(
  config: DrainerConfig,
  options: { env?: Readonly<Record<string, string | undefined>>; cwd?: string } = {},
): Promise<PreparedSink> {
  const resolved = await resolveSink(config.sinkName, options.cwd === undefined ? {} : { cwd: options.cwd });
  const built = buildSinkConfig(config, resolved.definition, options.env ?? process.env);
  const sink = resolved.definition.create(built.config, buildSinkEnv(config, resolved.name));
  return {
    definition: resolved.definition,
    name: resolved.name,
    from: resolved.from,
    config: built.config,
    sink,
    warnings: built.warnings,
  };
}
