import { runBinlogctl } from './binlogctl-cli.js';

/** Entry point of bin/binlogctl.js: runs binlogctl and sets the exit code. */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  process.exitCode = await runBinlogctl(argv);
}
