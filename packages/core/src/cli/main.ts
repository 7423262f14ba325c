import { runDrainerCli } from './drainer-cli.js';

/** Entry point of bin/drainer.js: runs the CLI and exits with its code. */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  const code = await runDrainerCli(argv);
  process.exitCode = code;
}
