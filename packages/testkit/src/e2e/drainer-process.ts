import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (the drainer runs from its TypeScript sources there). */
export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

export interface DrainerProcess {
  readonly child: ChildProcess;
  /** The exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  /** Everything written to stderr so far (for assertion messages). */
  stderr(): string;
}

export interface SpawnDrainerOptions {
  /**
   * Resolve `@tidb-drainer/*` through the test tsconfig's path mapping, so sink packages run from their sources
   * too (needed for sinks outside core).
   */
  readonly sourcePaths?: boolean;
}

/** Starts `drainer <args>` as a child process from the sources (tsx). Owner: the caller kills it and awaits `exited`. */
export function spawnDrainer(args: readonly string[], options: SpawnDrainerOptions = {}): DrainerProcess {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(REPO_ROOT, 'packages/core/src/cli/run-main.ts'), ...args],
    {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
      env:
        options.sourcePaths === true
          ? { ...process.env, TSX_TSCONFIG_PATH: join(REPO_ROOT, 'tsconfig.test.json') }
          : process.env,
    },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, stderr: () => stderr };
}
