import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseJsonLossless } from '@tidb-drainer/core';
import { freePort } from './free-port.js';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));

export interface DrainerProcessOptions {
  /** Go-style flags after the config, e.g. `['-pd-urls', url, '-data-dir', dir]`. */
  readonly args: readonly string[];
  /** Written by the drainer (`log-file`); one JSON object per line. */
  readonly logFile: string;
}

/** What `/status` answers (Go drainer's HTTP API), parsed losslessly. */
export interface DrainerHttpStatus {
  readonly PumpPos: Record<string, bigint>;
  readonly Synced: boolean;
  readonly LastTS: bigint;
}

/**
 * The `drainer` command as a child process, from the TypeScript sources (`packages/core/src/cli/run-main.ts`
 * through tsx, as the CLI itest does), listening for its control plane on a free loopback port.
 *
 * Owner: `start()`, then `stop()` (SIGTERM, waits for the exit code) or `kill9()`; `close()` kills it if it still
 * runs (test teardown).
 */
export class DrainerProcess {
  private child: ChildProcess | undefined;
  private stderrText = '';
  private exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }> | undefined;
  addr = '';

  constructor(private readonly o: DrainerProcessOptions) {}

  async start(): Promise<void> {
    this.addr = `127.0.0.1:${await freePort()}`;
    const args = [
      '--import',
      'tsx',
      `${REPO}packages/core/src/cli/run-main.ts`,
      ...this.o.args,
      '-addr',
      this.addr,
      '-log-file',
      this.o.logFile,
    ];
    const child = spawn(process.execPath, args, { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'] });
    this.child = child;
    child.stderr?.on('data', (d: Buffer) => (this.stderrText = (this.stderrText + d.toString()).slice(-8000)));
    this.exit = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** stderr tail plus the log tail: what a failed assertion should show. */
  get diagnostics(): string {
    const log = existsSync(this.o.logFile) ? readFileSync(this.o.logFile, 'utf8').slice(-4000) : '';
    return `stderr: ${this.stderrText}\nlog tail: ${log}`;
  }

  /** The drainer's `/status` (throws while it is not listening yet). */
  async status(): Promise<DrainerHttpStatus> {
    const res = await fetch(`http://${this.addr}/status`, { signal: AbortSignal.timeout(2000) });
    if (!res.ok) throw new Error(`/status answered ${res.status}`);
    return parseJsonLossless(await res.text()) as DrainerHttpStatus;
  }

  /** Graceful stop (SIGTERM); resolves with the exit code. */
  async stop(): Promise<number | null> {
    this.child?.kill('SIGTERM');
    return (await this.exited()).code;
  }

  /** kill -9; resolves once the process is gone. */
  async kill9(): Promise<NodeJS.Signals | null> {
    this.child?.kill('SIGKILL');
    return (await this.exited()).signal;
  }

  exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    return this.exit ?? Promise.resolve({ code: null, signal: null });
  }

  async close(): Promise<void> {
    if (this.running) await this.kill9();
  }

  /** The log records (pino JSON lines) with the given `msg`. */
  logRecords(msg: string): Record<string, unknown>[] {
    if (!existsSync(this.o.logFile)) return [];
    return readFileSync(this.o.logFile, 'utf8')
      .split('\n')
      .filter((l) => l.includes(`"msg":${JSON.stringify(msg)}`))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  }
}

/**
 * Polls `check` until it returns a value other than undefined; fails with `what` and `diagnostics()` after
 * `timeoutMs` or as soon as `alive()` says the process under test died.
 */
export async function waitUntil<T>(
  what: string,
  check: () => T | undefined | Promise<T | undefined>,
  o: { timeoutMs?: number; alive?: () => boolean; diagnostics?: () => string } = {},
): Promise<T> {
  const deadline = Date.now() + (o.timeoutMs ?? 30_000);
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (o.alive !== undefined && !o.alive())
      throw new Error(`process died while waiting for ${what}\n${o.diagnostics?.() ?? ''}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${o.diagnostics?.() ?? ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
