import { runReparoCli } from './reparo-cli.js';

/** Entry point of bin/reparo.js: SIGINT/SIGTERM abort the run (the destination is closed), then exit with the code. */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  const ac = new AbortController();
  const stop = (): void => ac.abort(new Error('signal'));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  process.exitCode = await runReparoCli(argv, {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    signal: ac.signal,
  });
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
}
