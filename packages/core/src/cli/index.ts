export { runDrainerCli } from './drainer-cli.js';
export type { CliIo } from './cli-io.js';
export { parseGoArgv } from './go-argv.js';
export type { ParsedArgv } from './go-argv.js';
export { defaultsToml } from './print-defaults.js';
