import { Command, CommanderError } from 'commander';
import { FLAGS } from '../config/flag-table.js';
import { loadConfig } from '../config/load-config.js';
import type { LoadedConfig } from '../config/load-config.js';
import { formatRedacted } from '../config/redact.js';
import { DrainerError } from '../errors/drainer-error.js';
import { Drainer } from '../pipeline/drainer.js';
import { prepareSink } from '../pipeline/prepare-sink.js';
import type { PreparedSink } from '../pipeline/prepare-sink.js';
import { runChecks } from '../pipeline/run-checks.js';
import { ExitCode } from '../runner/exit-codes.js';
import { installShutdownSignals } from '../runner/shutdown-signals.js';
import type { CliIo } from './cli-io.js';
import { processIo } from './cli-io.js';
import { parseGoArgv } from './go-argv.js';
import { createLogger } from './logger.js';
import { defaultsToml } from './print-defaults.js';
import { drainerVersion } from './version.js';

function flagHelp(): string {
  const rows = FLAGS.map((f) => {
    const names = [f.name, ...(f.aliases ?? [])].map((n) => `-${n}`).join(', ');
    const value = f.kind === 'bool' ? '' : f.kind === 'string' ? ' string' : ' int';
    return `  ${(names + value).padEnd(34)} ${f.description}${f.go ? '' : ' [not in the Go drainer]'}`;
  });
  return `\nFlags (single or double dash, "-flag value" or "-flag=value", as the Go drainer):\n${rows.join('\n')}\n\nEnvironment: BINLOG_SERVER_<FLAG> for any flag not on the command line; DRAINER_PASSWORD and DRAINER_CHECKPOINT_PASSWORD for secrets.\n`;
}

function report(io: CliIo, err: unknown): number {
  if (err instanceof DrainerError) {
    io.err(`drainer: ${err.message}`);
    return err.code.startsWith('E_CONFIG') ? ExitCode.Config : ExitCode.Startup;
  }
  io.err(`drainer: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  return ExitCode.Internal;
}

async function load(
  flags: Record<string, string>,
  io: CliIo,
): Promise<{ loaded: LoadedConfig; prepared: PreparedSink }> {
  const loaded = await loadConfig({
    ...(flags['config'] === undefined ? {} : { configFile: flags['config'] }),
    flags,
    env: io.env,
  });
  const prepared = await prepareSink(loaded.config, { env: io.env, cwd: io.cwd });
  return { loaded, prepared };
}

/**
 * The `drainer` command. Flags follow Go's flag package (parsed by parseGoArgv, so `-pd-urls x` works);
 * commander dispatches the subcommands and prints help. Resolves with the process exit code (never exits).
 */
export async function runDrainerCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  let parsed;
  try {
    parsed = parseGoArgv(argv);
  } catch (err) {
    return report(io, err);
  }
  const flags = parsed.flags;
  let code: number = ExitCode.Ok;

  const program = new Command('drainer')
    .description('TiDB Binlog drainer: pulls binlogs from the pumps and replicates them into a sink')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .addHelpText('after', flagHelp())
    .action(async () => {
      code = await runAction(flags, io);
    });
  program
    .command('check')
    .description("validate the configuration, reach PD, the pumps and TiDB, and run the sink's health check")
    .action(async () => {
      code = await checkAction(flags, io);
    });
  const config = program.command('config').description('configuration helpers');
  config
    .command('print-defaults')
    .description('print a drainer.toml with every key at its default')
    .action(() => {
      io.out(defaultsToml());
    });
  config
    .command('print')
    .description('print the effective configuration (file, env and flags applied; secrets redacted)')
    .action(async () => {
      try {
        const loaded = await loadConfig({
          ...(flags['config'] === undefined ? {} : { configFile: flags['config'] }),
          flags,
          env: io.env,
        });
        io.out(
          formatRedacted({
            config: loaded.config,
            sources: Object.fromEntries(loaded.origins),
            warnings: loaded.warnings,
          }),
        );
      } catch (err) {
        code = report(io, err);
      }
    });

  try {
    await program.parseAsync([...parsed.positionals, ...(parsed.help ? ['--help'] : [])], { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError)
      return err.code === 'commander.helpDisplayed' || err.code === 'commander.help' ? ExitCode.Ok : ExitCode.Config;
    return report(io, err);
  }
  return code;
}

async function runAction(flags: Record<string, string>, io: CliIo): Promise<number> {
  if (flags['version'] === 'true') {
    io.out(`tidb-drainer ${drainerVersion()}`);
    return ExitCode.Ok;
  }
  let loaded: LoadedConfig;
  let prepared: PreparedSink;
  try {
    ({ loaded, prepared } = await load(flags, io));
  } catch (err) {
    return report(io, err);
  }
  const warnings = [...loaded.warnings, ...prepared.warnings];
  if (flags['config-check'] === 'true') {
    await prepared.sink.close();
    for (const w of warnings) io.err(`warning: ${w}`);
    io.out(`config OK: sink ${prepared.name} (${prepared.from})`);
    return ExitCode.Ok;
  }
  const logger = createLogger(loaded.config);
  for (const w of warnings) logger.warn(w);
  logger.info({ config: JSON.parse(formatRedacted(loaded.config)) as unknown }, 'configuration');
  const signals = installShutdownSignals(process, (name, forced) =>
    logger.warn({ signal: name, forced }, 'signal received'),
  );
  const drainer = new Drainer({
    config: loaded.config,
    sink: prepared,
    txnBatchExplicit: loaded.origins.has('syncer.txn-batch'),
    logger,
    control: true,
  });
  try {
    await drainer.open(signals.graceful);
    const result = await drainer.run(signals.graceful, signals.force);
    return result.exitCode;
  } catch (err) {
    logger.error({ err }, 'drainer failed to start');
    const c = report(io, err);
    return c === ExitCode.Internal || c === ExitCode.Config ? c : ExitCode.Startup;
  } finally {
    signals.dispose();
    await drainer.close();
  }
}

async function checkAction(flags: Record<string, string>, io: CliIo): Promise<number> {
  let loaded: LoadedConfig;
  let prepared: PreparedSink;
  try {
    ({ loaded, prepared } = await load(flags, io));
  } catch (err) {
    return report(io, err);
  }
  io.out(`✓ config: ${loaded.config.configFile ?? '(no file)'} is valid; sink ${prepared.name} (${prepared.from})`);
  for (const w of [...loaded.warnings, ...prepared.warnings]) io.out(`! ${w}`);
  const results = await runChecks(loaded.config, prepared, AbortSignal.timeout(60_000)).finally(() =>
    prepared.sink.close(),
  );
  for (const r of results) io.out(`${r.ok ? '✓' : '✗'} ${r.name}: ${r.message}`);
  return results.every((r) => r.ok) ? ExitCode.Ok : ExitCode.Startup;
}
