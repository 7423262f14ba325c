export * from './binlogctl-cli.js';
export * from './binlogctl-flags.js';
export * from './go-log-line.js';
export * from './node-action.js';
export * from './node-string.js';
