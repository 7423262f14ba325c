import type { DemoProgress } from './run-demo.js';

export interface ProgressOutput {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/** Without a TTY (CI, pipes) one plain line per this interval: enough to see it move, not a flood. */
const PLAIN_EVERY_MS = 1_000;

function line(p: DemoProgress): string {
  const d = p.delivered;
  return (
    `upstream: ${p.written}/${p.planned} txns written (DML + DDL) | drainer: ${d.txns} txns, ${d.rows} rows, ${d.ddls} DDLs` +
    ` | commit-ts lag ${p.lagMs} ms | ${(p.elapsedMs / 1000).toFixed(1)} s`
  );
}

/**
 * Live progress for the demo: on a TTY one status line redrawn in place; otherwise a plain line at most once a
 * second (and always the final state). `finish()` ends the line.
 */
export function createProgressReporter(out: ProgressOutput): { update(p: DemoProgress): void; finish(): void } {
  let lastPlain = -Infinity;
  let pending: DemoProgress | undefined;
  let drew = false;
  return {
    update(p: DemoProgress): void {
      if (out.isTTY === true) {
        out.write(`\r\x1b[K${line(p)}`);
        drew = true;
        return;
      }
      pending = p;
      if (p.elapsedMs - lastPlain >= PLAIN_EVERY_MS) {
        out.write(`${line(p)}\n`);
        lastPlain = p.elapsedMs;
        pending = undefined;
      }
    },
    finish(): void {
      if (out.isTTY === true) {
        if (drew) out.write('\n');
      } else if (pending !== undefined) {
        out.write(`${line(pending)}\n`);
      }
    },
  };
}
