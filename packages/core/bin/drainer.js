#!/usr/bin/env node
// The drainer command: flags as the Go drainer takes them, plus --sink and subcommands (run `drainer -h`).
import { main } from '../dist/cli/main.js';

await main();
