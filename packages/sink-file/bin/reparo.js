#!/usr/bin/env node
// reparo: restore (or print, or verify) the protobuf binlog files written by the file sink (run `reparo -h`).
import { main } from '../dist/reparo/main.js';

await main();
