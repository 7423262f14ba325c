import { main } from './main.js';

// Runs reparo from sources (`node --import tsx packages/sink-file/src/reparo/run-main.ts …`), for process tests.
await main();
