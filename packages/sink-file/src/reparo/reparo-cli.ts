import { Command, CommanderError, Option } from 'commander';
import { pino } from 'pino';
import type { Logger } from 'pino';
import { DrainerError, TableFilter } from '@tidb-drainer/core';
import { verifyDir } from '../reader/verify-dir.js';
import type { FileSummary } from '../reader/verify-dir.js';
import { localZone, loadReparoConfig, resolveRange } from './load-reparo-config.js';
import { MysqlDestination } from './mysql-destination.js';
import { PrintDestination } from './print-destination.js';
import { createProgressReporter } from './progress-reporter.js';
import { restore } from './restore.js';
import type { RestoreDestination } from './restore-destination.js';
import type { ReparoConfig } from './reparo-config.js';

export interface CliIo {
  readonly stdout: NodeJS.WriteStream | { write(s: string): unknown; isTTY?: boolean };
  readonly stderr: NodeJS.WriteStream | { write(s: string): unknown; isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly signal: AbortSignal;
}

/** Go's flag package accepts `-flag` and `--flag`: rewrite single-dash long flags for commander. */
export function normalizeGoArgv(argv: readonly string[]): string[] {
  return argv.map((a) => (/^-[A-Za-z][A-Za-z-]+(=.*)?$/.test(a) ? `-${a}` : a));
}

function createLogger(cfg: Pick<ReparoConfig, 'log-file' | 'log-level'>): Logger {
  const dest =
    cfg['log-file'] === ''
      ? pino.destination({ fd: 2, sync: true })
      : pino.destination({ dest: cfg['log-file'], sync: true, mkdir: true });
  return pino({ level: cfg['log-level'], base: { component: 'reparo' } }, dest);
}

const toInt = (v: string): number => {
  if (!/^\d+$/.test(v)) throw new CommanderError(2, 'reparo.invalidArgument', `not a non-negative integer: ${v}`);
  return Number(v);
};

function summaryLine(s: FileSummary): string {
  const ts = s.firstTs === undefined ? 'empty' : `first-ts=${s.firstTs} last-ts=${s.lastTs ?? ''}`;
  const extra = [
    s.truncatedBytes > 0 ? `truncated-tail=${s.truncatedBytes}B` : '',
    ...s.skipped.map((k) => `skipped@${k.offset}=${k.bytes}B(${k.reason})`),
  ].filter((x) => x !== '');
  return `${s.file}\t${ts}\trecords=${s.records}\tbytes=${s.bytes}${extra.length > 0 ? '\t' + extra.join(' ') : ''}\n`;
}

/**
 * `reparo` (restore a binlog directory into MySQL/MariaDB/TiDB, or print it) and `reparo verify`. Returns the exit
 * code: 0 success, 1 failure (corrupt data, destination error), 2 usage/config error.
 */
export async function runReparoCli(argv: readonly string[], io: CliIo): Promise<number> {
  let code = 0;
  const program = new Command('reparo')
    .description('Restore (or print) the protobuf binlog files written by the file sink')
    .exitOverride()
    .configureOutput({ writeOut: (s) => void io.stdout.write(s), writeErr: (s) => void io.stderr.write(s) })
    .option('--config <file>', 'reparo.toml (Go format)')
    .option('--data-dir <dir>', 'directory of the binlog files')
    .option('--start-datetime <datetime>', 'restore from this local time (2006-01-02 15:04:05), inclusive')
    .option('--stop-datetime <datetime>', 'restore up to this local time, inclusive')
    .option('--start-tso <tso>', 'first commit ts restored (inclusive)')
    .option('--stop-tso <tso>', 'last commit ts restored (inclusive)')
    .addOption(new Option('--dest-type <type>', 'print or mysql').choices(['print', 'mysql', 'tidb', 'mariadb']))
    .option('--txn-batch <n>', 'rows per statement batch', toInt)
    .option('-c, --worker-count <n>', 'parallel downstream workers', toInt)
    .option('--safe-mode', 'idempotent apply (REPLACE / delete+replace)')
    .option('--log-file <file>', 'log file')
    .option('--log-level <level>', 'debug, info, warn, error')
    .option('--skip-corrupt', 'resync on the next record after corrupt data and report the skipped ranges')
    .option('--timezone <zone>', 'zone of TIMESTAMP texts and datetimes (default: the process zone)')
    .option('--dest-host <host>', 'destination host (overrides [dest-db] host)')
    .option('--dest-port <port>', 'destination port', toInt)
    .option('--dest-user <user>', 'destination user')
    .option('--dest-password <password>', 'destination password')
    .action(async (opts: Record<string, unknown>) => {
      code = await runRestore(opts, io);
    });
  program
    .command('verify')
    .description('Check every record (CRC-32C, pb_binlog payload, commit-ts order); print a summary per file')
    .argument('[dir]', 'binlog directory (default: data-dir of --config)')
    .option('--config <file>', 'reparo.toml (for data-dir)')
    .option('--skip-corrupt', 'report corrupt ranges and continue')
    .action(async (dir: string | undefined, opts: { config?: string; skipCorrupt?: boolean }) => {
      code = await runVerify(dir, opts, io);
    });
  try {
    await program.parseAsync(normalizeGoArgv(argv), { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    return reportError(err, io);
  }
  return code;
}

function reportError(err: unknown, io: CliIo): number {
  if (err instanceof DrainerError) {
    io.stderr.write(`reparo: ${err.message} [${err.code}]\n`);
    return err.code.startsWith('E_CONFIG') ? 2 : 1;
  }
  io.stderr.write(`reparo: ${(err as Error).stack ?? String(err)}\n`);
  return 1;
}

function flagsToConfig(o: Record<string, unknown>): Record<string, unknown> {
  const map: Record<string, string> = {
    dataDir: 'data-dir',
    startDatetime: 'start-datetime',
    stopDatetime: 'stop-datetime',
    startTso: 'start-tso',
    stopTso: 'stop-tso',
    destType: 'dest-type',
    txnBatch: 'txn-batch',
    workerCount: 'worker-count',
    safeMode: 'safe-mode',
    logFile: 'log-file',
    logLevel: 'log-level',
    skipCorrupt: 'skip-corrupt',
    timezone: 'timezone',
  };
  const out: Record<string, unknown> = {};
  for (const [k, key] of Object.entries(map)) if (o[k] !== undefined) out[key] = o[k];
  const db: Record<string, unknown> = {};
  if (o['destHost'] !== undefined) db['host'] = o['destHost'];
  if (o['destPort'] !== undefined) db['port'] = o['destPort'];
  if (o['destUser'] !== undefined) db['user'] = o['destUser'];
  if (o['destPassword'] !== undefined) db['password'] = o['destPassword'];
  if (Object.keys(db).length > 0) out['dest-db'] = db;
  return out;
}

async function runRestore(opts: Record<string, unknown>, io: CliIo): Promise<number> {
  let cfg: ReparoConfig;
  try {
    cfg = await loadReparoConfig(opts['config'] as string | undefined, flagsToConfig(opts), io.env);
  } catch (err) {
    return reportError(err, io);
  }
  const logger = createLogger(cfg);
  const zone = cfg.timezone !== '' ? cfg.timezone : localZone();
  let destination: RestoreDestination | undefined;
  const progress = createProgressReporter(io.stderr as NodeJS.WriteStream, logger, cfg['progress-interval'] * 1000);
  try {
    const range = resolveRange(cfg, zone);
    const filter = new TableFilter({
      doDbs: cfg['replicate-do-db'],
      doTables: cfg['replicate-do-table'].map((t) => ({ schema: t['db-name'], table: t['tbl-name'] })),
      ignoreSchemas: cfg['replicate-ignore-db'],
      ignoreTables: cfg['replicate-ignore-table'].map((t) => ({ schema: t['db-name'], table: t['tbl-name'] })),
    });
    let keys: ((s: string, t: string) => readonly string[] | undefined) | undefined;
    if (cfg['dest-type'] === 'print') destination = new PrintDestination(io.stdout);
    else {
      const mysql = new MysqlDestination(cfg, logger);
      destination = mysql;
      keys = (s, t) => mysql.keys.get(s, t);
      await mysql.open(io.signal);
    }
    logger.info(
      {
        dir: cfg['data-dir'],
        startTs: range.startTs.toString(),
        stopTs: range.stopTs.toString(),
        dest: cfg['dest-type'],
      },
      'reparo start',
    );
    const stats = await restore({
      dir: cfg['data-dir'],
      range,
      filter,
      destination,
      zone,
      skipCorrupt: cfg['skip-corrupt'],
      logger,
      signal: io.signal,
      onProgress: (s) => progress.update(s),
      ...(keys === undefined ? {} : { keys }),
    });
    progress.stop();
    logger.info(
      {
        files: stats.files,
        records: stats.records,
        txns: stats.txns,
        ddls: stats.ddls,
        rows: stats.rows,
        filtered: stats.filtered,
        lastTs: stats.lastTs.toString(),
        skipped: stats.skipped.length,
      },
      'reparo done',
    );
    if (stats.skipped.length > 0) {
      const total = stats.skipped.reduce((n, s) => n + s.bytes, 0);
      io.stderr.write(`reparo: skipped ${stats.skipped.length} corrupt range(s), ${total} bytes:\n`);
      for (const s of stats.skipped)
        io.stderr.write(`  ${s.file} offset ${s.offset}: ${s.bytes} bytes (${s.reason})\n`);
    }
    return 0;
  } catch (err) {
    progress.stop();
    if (err instanceof DrainerError) logger.error(err.toLog(), 'reparo failed');
    return reportError(err, io);
  } finally {
    await destination?.close().catch((err: unknown) => logger.warn({ err }, 'closing the destination failed'));
  }
}

async function runVerify(
  dir: string | undefined,
  opts: { config?: string; skipCorrupt?: boolean },
  io: CliIo,
): Promise<number> {
  try {
    const target = dir ?? (await loadReparoConfig(opts.config, {}, io.env))['data-dir'];
    let skipped = 0;
    const files = await verifyDir(target, {
      skipCorrupt: opts.skipCorrupt === true,
      signal: io.signal,
      onFile: (s) => {
        skipped += s.skipped.length;
        io.stdout.write(summaryLine(s));
      },
    });
    const records = files.reduce((n, f) => n + f.records, 0);
    io.stdout.write(
      `ok: ${files.length} file(s), ${records} record(s)${skipped > 0 ? `, ${skipped} corrupt range(s) skipped` : ''}\n`,
    );
    return skipped > 0 ? 1 : 0;
  } catch (err) {
    return reportError(err, io);
  }
}
