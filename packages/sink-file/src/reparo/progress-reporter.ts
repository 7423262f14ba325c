import cliProgress from 'cli-progress';
import type { Logger } from 'pino';
import type { RestoreStats } from './restore.js';

export interface ProgressReporter {
  update(s: Readonly<RestoreStats>): void;
  stop(): void;
}

/**
 * A progress bar (files, bytes, rows, ETA) on a TTY; otherwise a log line at most every `intervalMs` — never per
 * record.
 */
export function createProgressReporter(
  stream: NodeJS.WriteStream,
  logger: Logger,
  intervalMs: number,
): ProgressReporter {
  if (stream.isTTY === true) {
    const bar = new cliProgress.SingleBar(
      {
        stream,
        format: 'reparo [{bar}] {percentage}% | files {files} | {mb}/{totalMb} MB | rows {rows} | ETA {eta_formatted}',
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update(s) {
        const payload = {
          files: s.files,
          rows: s.rows,
          mb: (s.bytesRead / 1e6).toFixed(1),
          totalMb: (s.totalBytes / 1e6).toFixed(1),
        };
        if (!started) {
          bar.start(Math.max(s.totalBytes, 1), s.bytesRead, payload);
          started = true;
        } else bar.update(s.bytesRead, payload);
      },
      stop: () => bar.stop(),
    };
  }
  let last = 0;
  return {
    update(s) {
      const now = Date.now();
      if (now - last < intervalMs) return;
      last = now;
      logger.info(
        {
          files: s.files,
          bytes: s.bytesRead,
          totalBytes: s.totalBytes,
          txns: s.txns,
          rows: s.rows,
          ddls: s.ddls,
          lastTs: s.lastTs.toString(),
        },
        'reparo progress',
      );
    },
    stop: () => undefined,
  };
}
