import { main } from './main.js';

// binlogctl from sources (`node --import tsx packages/core/src/binlogctl/run-main.ts …`), for tests without a build.
await main();
