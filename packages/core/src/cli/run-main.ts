import { main } from './main.js';

// Runs the CLI from sources (`node --import tsx packages/core/src/cli/run-main.ts …`): what bin/drainer.js does
// with the built files; used by the process-level tests and the demo without a build step.
await main();
