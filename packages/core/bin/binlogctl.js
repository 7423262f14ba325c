#!/usr/bin/env node
// binlogctl: query and change pump/drainer states in PD's etcd, as Go's binlogctl (run `binlogctl -h`).
import { main } from '../dist/binlogctl/main.js';

await main();
