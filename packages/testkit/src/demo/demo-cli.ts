import { demoMain } from './demo-main.js';

// Entry of `npm run demo` (scripts/demo.sh runs the built file: packages/testkit/dist/demo/demo-cli.js).
process.exitCode = await demoMain(process.argv.slice(2));
